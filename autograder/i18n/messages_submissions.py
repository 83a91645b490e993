"""Messages about submission files that cannot be graded (keys ``submission.*``).

Every message names the file (``{file}``), says what is wrong, and what to do.
Templates use no format specs: results keep parameters as strings.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "submission.not_notebook_file": {
        "ko": "{file}: 노트북 파일(.ipynb)이 아닙니다. "
        "Jupyter에서 '파일 > 다운로드 > Notebook (.ipynb)'로 저장한 파일을 제출하세요.",
        "en": "{file}: this is not a notebook file (.ipynb). "
        "Submit the file saved from Jupyter with 'File > Download > Notebook (.ipynb)'.",
    },
    "submission.empty_file": {
        "ko": "{file}: 파일이 비어 있습니다. 노트북을 저장한 뒤 다시 제출하세요.",
        "en": "{file}: the file is empty. Save your notebook and submit it again.",
    },
    "submission.not_utf8": {
        "ko": "{file}: {offset}번째 바이트에서 UTF-8이 아닌 문자가 나왔습니다. "
        "다른 프로그램으로 편집하지 말고 Jupyter에서 다시 저장해 제출하세요.",
        "en": "{file}: found bytes that are not UTF-8 at byte offset {offset}. "
        "Do not edit the notebook in another program; save it again from Jupyter and resubmit.",
    },
    "submission.invalid_json": {
        "ko": "{file}: 노트북 파일의 JSON 형식이 깨져 있습니다({line}행 {column}열). "
        "파일이 손상되었거나 직접 편집된 것 같습니다. Jupyter에서 다시 저장해 제출하세요.",
        "en": "{file}: the notebook's JSON is broken at line {line}, column {column}. "
        "The file looks damaged or hand-edited; save it again from Jupyter and resubmit.",
    },
    "submission.not_notebook_json": {
        "ko": "{file}: JSON 파일이지만 Jupyter 노트북이 아닙니다('cells'나 'nbformat' 항목이 없습니다). "
        "올바른 파일을 제출했는지 확인하세요.",
        "en": "{file}: this is JSON but not a Jupyter notebook (no 'cells' or 'nbformat'). "
        "Check that you submitted the right file.",
    },
    "submission.nbformat_too_new": {
        "ko": "{file}: 노트북 형식 버전 {version}은(는) 지원하지 않습니다(지원: {supported}). "
        "JupyterLab이나 Jupyter Notebook에서 그대로 저장한 .ipynb 파일(nbformat {supported})을 제출하세요.",
        "en": "{file}: notebook format version {version} is not supported (supported: {supported}). "
        "Submit the .ipynb file as saved by JupyterLab or Jupyter Notebook (nbformat {supported}).",
    },
    "submission.nbformat_unreadable": {
        "ko": "{file}: 오래된 노트북 형식(버전 {version})을 새 형식으로 변환하지 못했습니다. "
        "최신 Jupyter에서 노트북을 열어 다시 저장한 뒤 제출하세요.",
        "en": "{file}: could not convert the old notebook format (version {version}) to the current one. "
        "Open the notebook in a recent Jupyter, save it again and resubmit.",
    },
    "submission.too_many_cells": {
        "ko": "{file}: 셀이 {count}개로 한도({limit}개)를 넘습니다. 불필요한 셀을 지우고 다시 제출하세요.",
        "en": "{file}: the notebook has {count} cells, more than the limit of {limit}. "
        "Delete the cells you do not need and resubmit.",
    },
    "submission.nested_too_deep": {
        "ko": "{file}: JSON이 {depth}단계까지 중첩되어 있어 노트북으로 읽지 않았습니다(한도 {limit}단계; 노트북은 "
        "보통 10단계 미만입니다). Jupyter에서 노트북을 다시 저장하거나 출력과 메타데이터를 지운 뒤(nbstripout) "
        "다시 제출하세요.",
        "en": "{file}: the JSON is nested {depth} levels deep, more than the limit of {limit} (a notebook needs "
        "fewer than 10), so it was not read as a notebook. Save it again from Jupyter, or clear its outputs and "
        "metadata (nbstripout), and resubmit.",
    },
    "submission.too_many_containers": {
        "ko": "{file}: JSON 객체와 리스트가 {count}개로 한도({limit}개)를 넘어 노트북으로 읽지 않았습니다. 출력과 "
        "메타데이터를 지운 뒤(Jupyter의 '모든 출력 지우기' 또는 nbstripout) 다시 제출하세요.",
        "en": "{file}: the JSON holds {count} objects and lists, more than the limit of {limit}, so it was not "
        "read as a notebook. Clear its outputs and metadata (Jupyter's 'Clear All Outputs', or nbstripout) and "
        "resubmit.",
    },
    "submission.no_code_cells": {
        "ko": "{file}: 코드 셀이 하나도 없습니다. 올바른 파일을 제출했는지 확인하세요.",
        "en": "{file}: the notebook has no code cells. Did you submit the right file?",
    },
    "submission.file_too_large": {
        "ko": "{file}: 파일 크기가 {size_text}로 한도({limit_text})를 넘습니다. "
        "셀 출력(이미지, 긴 로그)을 지우고('모든 출력 지우기') 다시 저장해 제출하세요.",
        "en": "{file}: the file is {size_text}, more than the limit of {limit_text}. "
        "Clear the cell outputs (images, long logs) with 'Clear All Outputs', save and resubmit.",
    },
    "submission.zip_too_large": {
        "ko": "{file}: 압축 파일 안의 노트북을 모두 풀면 한도({limit_text})를 넘어서 "
        "이 파일은 읽지 않았습니다. "
        "압축 파일을 나누어 다시 채점하세요.",
        "en": "{file}: not read, because the notebooks in the archive add up to more than {limit_text}. "
        "Split the archive and grade the parts separately.",
    },
    "submission.zip_unsafe_path": {
        "ko": "{file}: 압축 파일 안의 경로 '{entry}'가 압축 폴더 밖(절대 경로, 드라이브 문자, '..')을 "
        "가리켜 거부했습니다. "
        "폴더째 다시 압축하세요.",
        "en": "{file}: refused the archive entry '{entry}' because its path points outside the archive "
        "(absolute path, drive letter or '..'). Re-create the archive from the folder.",
    },
    "submission.zip_symlink": {
        "ko": "{file}: 압축 파일 안의 심볼릭 링크는 읽지 않습니다. "
        "링크가 아닌 실제 노트북 파일을 넣어 주세요.",
        "en": "{file}: symbolic links inside an archive are not read. "
        "Put the notebook file itself in the archive.",
    },
    "submission.zip_corrupt": {
        "ko": "{file}: 압축 파일이 손상되어 열 수 없습니다. 압축 파일을 다시 만들거나 다시 내려받으세요.",
        "en": "{file}: the archive is damaged and cannot be opened. Re-create or download it again.",
    },
    "submission.zip_entry_unreadable": {
        "ko": "{file}: 압축 파일 안의 이 파일을 읽을 수 없습니다"
        "(손상, 암호 설정 또는 지원하지 않는 압축 방식). "
        "암호 없이 일반 zip으로 다시 압축하세요.",
        "en": "{file}: this file inside the archive cannot be read (damaged, password-protected or an "
        "unsupported compression method). Re-create the archive as a plain zip without a password.",
    },
    "submission.symlink_outside": {
        "ko": "{file}: 제출 폴더 밖을 가리키는 심볼릭 링크라서 읽지 않았습니다. "
        "링크 대신 실제 파일을 넣으세요.",
        "en": "{file}: not read, because it is a symbolic link that points outside the submission folder. "
        "Put the file itself there instead of a link.",
    },
    "submission.not_regular_file": {
        "ko": "{file}: 일반 파일이 아니라서(장치, 파이프 등) 읽지 않았습니다. 일반 노트북 파일을 넣으세요.",
        "en": "{file}: not read, because it is not a regular file (a device, pipe, ...). "
        "Put an ordinary notebook file there.",
    },
    "submission.unreadable": {
        "ko": "{file}: 파일을 읽을 수 없습니다({reason}). 파일 권한을 확인하세요.",
        "en": "{file}: the file cannot be read ({reason}). Check the file's permissions.",
    },
    "submission.duplicate": {
        "ko": "{file}: 학생 '{student}'의 제출물이 여러 개입니다({first}, {file}). "
        "첫 번째 파일({first})만 채점했습니다. 채점할 파일 하나만 남기세요.",
        "en": "{file}: student '{student}' has more than one submission ({first} and {file}). "
        "Only the first ({first}) was graded. Keep only the file that should be graded.",
    },
}
