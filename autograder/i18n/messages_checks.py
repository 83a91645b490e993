"""Messages of the check library: expected, received, and what to do."""

MESSAGES: dict[str, dict[str, str]] = {
    "check.raised": {
        "en": "`{call}` raised {ename}: {evalue}. Run it on a small input in your notebook and fix the error.",
        "ko": "`{call}` 호출에서 {ename} 예외가 발생했습니다: {evalue}. 노트북에서 작은 입력으로 실행해 보고 "
              "오류를 고치세요.",
    },
    "check.value_missing": {
        "en": "Expected a variable named `{name}`, but the notebook does not define it. Check the spelling "
              "and make sure the cell that assigns it runs without errors.",
        "ko": "`{name}` 변수가 필요하지만 노트북에 정의되어 있지 않습니다. 이름의 철자를 확인하고, 값을 "
              "대입하는 셀이 오류 없이 실행되는지 확인하세요.",
    },
    "check.reply_missing": {
        "en": "Expected a function named `{name}`, but the notebook does not define it. Check the spelling "
              "and make sure the cell that defines it runs without errors.",
        "ko": "`{name}` 함수가 필요하지만 노트북에 정의되어 있지 않습니다. 이름의 철자를 확인하고, 함수를 "
              "정의하는 셀이 오류 없이 실행되는지 확인하세요.",
    },
    "check.reply_not_callable": {
        "en": "`{name}` exists but is not a function. Define it with `def {name}(...):`.",
        "ko": "`{name}`이(가) 있지만 함수가 아닙니다. `def {name}(...):`로 정의하세요.",
    },
    "check.reply_timeout": {
        "en": "`{call}` did not finish within the time limit and was stopped. Look for a loop that never "
              "ends (e.g. a `while` whose condition never changes).",
        "ko": "`{call}`이(가) 제한 시간 안에 끝나지 않아 중단되었습니다. 끝나지 않는 반복문(조건이 바뀌지 "
              "않는 `while` 등)이 있는지 확인하세요.",
    },
    "check.reply_crashed": {
        "en": "`{call}` stopped the notebook's process (it exited, was killed, or used too much memory), so "
              "it could not be graded. Do not call `exit()`/`os._exit()` and keep memory use small.",
        "ko": "`{call}`이(가) 노트북 프로세스를 멈추게 해서(종료, 강제 종료 또는 메모리 초과) 채점할 수 "
              "없었습니다. `exit()`/`os._exit()`를 호출하지 말고 메모리를 적게 사용하세요.",
    },
    "check.reply_unavailable": {
        "en": "`{call}` was not checked: the notebook's time limit or restart limit ran out earlier. Fix the "
              "cells reported above as timed out or crashed.",
        "ko": "`{call}`은(는) 검사하지 못했습니다. 앞에서 노트북의 제한 시간이나 재시작 한도를 모두 "
              "사용했습니다. 위에서 시간 초과나 중단으로 보고된 셀을 고치세요.",
    },
    "check.should_raise": {
        "en": "`{call}` returned a result, but it should refuse this input: {why}. Add an `assert` (or raise "
              "an error) that checks it, as the book does.",
        "ko": "`{call}`이(가) 결과를 반환했지만 이 입력은 거부해야 합니다: {why}. 책에서처럼 이를 확인하는 "
              "`assert`를 추가하거나 예외를 발생시키세요.",
    },
    "check.not_array": {
        "en": "`{call}` should return a NumPy array, but returned {received}. Return the array you computed "
              "(e.g. `return x`).",
        "ko": "`{call}`은(는) NumPy 배열을 반환해야 하지만 {received}을(를) 반환했습니다. 계산한 배열을 "
              "반환하세요(예: `return x`).",
    },
    "check.shape": {
        "en": "`{call}` returned an array of shape {received}; expected shape {expected}. Check which "
              "dimensions your loops run over.",
        "ko": "`{call}`이(가) 반환한 배열의 shape은 {received}이지만 {expected}이어야 합니다. 반복문이 "
              "어떤 차원을 도는지 확인하세요.",
    },
    "check.dtype_kind": {
        "en": "`{call}` returned an array of dtype {received}; expected numbers. Keep the input's dtype.",
        "ko": "`{call}`이(가) dtype이 {received}인 배열을 반환했습니다. 숫자 배열이어야 합니다. 입력의 "
              "dtype을 유지하세요.",
    },
    "check.values": {
        "en": "`{call}` returned {count} wrong value(s) out of {total}; the first at index {first}. Compare "
              "your result with the NumPy equivalent on a small example.",
        "ko": "`{call}`의 결과 {total}개 중 {count}개 값이 틀렸습니다. 첫 번째는 인덱스 {first}입니다. "
              "작은 예제에서 NumPy로 계산한 결과와 비교해 보세요.",
    },
    "check.not_number": {
        "en": "`{call}` should return a single number, but returned {received}.",
        "ko": "`{call}`은(는) 숫자 하나를 반환해야 하지만 {received}을(를) 반환했습니다.",
    },
    "check.number_wrong": {
        "en": "`{call}` returned a wrong number. Check that you sum over every element, starting from 0.",
        "ko": "`{call}`이(가) 틀린 값을 반환했습니다. 0에서 시작해 모든 원소를 더하는지 확인하세요.",
    },
    "check.dtype": {
        "en": "`{call}` returned dtype {received}; expected {expected} (the input's dtype). Start from a copy "
              "of the input (`x.copy()`) instead of a new array.",
        "ko": "`{call}`이(가) dtype {received}을(를) 반환했지만 입력과 같은 {expected}이어야 합니다. 새 배열 "
              "대신 입력의 복사본(`x.copy()`)에서 시작하세요.",
    },
    "check.mutated": {
        "en": "`{call}` changed its argument {position} in place. Work on a copy (`x = x.copy()`) so the "
              "caller's array stays as it was.",
        "ko": "`{call}`이(가) {position}번째 인자를 직접 바꿨습니다. 호출한 쪽의 배열이 그대로 남도록 "
              "복사본(`x = x.copy()`)에서 작업하세요.",
    },
    "check.source_missing": {
        "en": "Could not find `def {name}(...)` in the notebook's code.",
        "ko": "노트북 코드에서 `def {name}(...)`을(를) 찾을 수 없습니다.",
    },
    "check.shortcut": {
        "en": "This exercise asks for explicit loops, but `{name}` uses {found}. The value is right, but "
              "write the loops yourself, as in the book.",
        "ko": "이 문제는 반복문을 직접 작성해야 하지만 `{name}`에서 {found}을(를) 사용했습니다. 값은 맞지만 "
              "책에서처럼 반복문을 직접 작성하세요.",
    },
    "check.no_loop": {
        "en": "This exercise asks for explicit loops (`for i in range(...)`), but `{name}` has none.",
        "ko": "이 문제는 반복문(`for i in range(...)`)을 직접 작성해야 하지만 `{name}`에 반복문이 없습니다.",
    },
    "check.internal_error": {
        "en": "This check ({check}) could not be completed because of a problem in the grader, not in your "
              "code: {detail}. Your instructor has been told.",
        "ko": "채점기 문제로 이 검사({check})를 마치지 못했습니다. 학생 코드의 문제가 아닙니다: {detail}. "
              "담당 강사에게 전달됩니다.",
    },
    # -- the student's notebook: grader.check / check_all (autograder/student.py) and its first cell (assign) ------
    "student.unknown_question": {
        "en": "`{question}` is not a question of {assignment}. Its questions are: {known}. Write the name as it is "
              "written there, e.g. `grader.check(\"{example}\")`.",
        "ko": "`{question}`은(는) {assignment} 과제의 문제가 아닙니다. 문제는 {known}입니다. 이름을 그대로 "
              "쓰세요(예: `grader.check(\"{example}\")`).",
    },
    "student.checks_missing": {
        "en": "The public checks of {assignment} were not found: there is no `{file}` in {folder}, and this notebook "
              "has no copy of them (the notebook `autograder assign` generated has one). Fix: open the notebook "
              "your instructor handed out in its own folder, or put `{file}` from the assignment's folder beside it, "
              "or name the notebook's file: `Notebook(\"{assignment}\", notebook=\"path/to/{assignment}.ipynb\")`.",
        "ko": "{assignment} 과제의 공개 검사를 찾지 못했습니다. {folder}에 `{file}`이(가) 없고, 이 노트북에도 "
              "검사 사본이 없습니다(`autograder assign`으로 만든 노트북에는 들어 있습니다). 고치는 법: 강사가 "
              "나눠 준 노트북을 그 폴더에서 열거나, 과제 폴더의 `{file}`을(를) 노트북 옆에 두거나, 노트북 파일을 "
              "알려 주세요: `Notebook(\"{assignment}\", notebook=\"경로/{assignment}.ipynb\")`.",
    },
    "student.checks_broken": {
        "en": "The public checks in {path} could not be loaded: {detail}. Fix: put back the `public_checks.py` your "
              "instructor handed out (or delete it: the copy inside the notebook is used then).",
        "ko": "{path}의 공개 검사를 불러오지 못했습니다: {detail}. 고치는 법: 강사가 나눠 준 `public_checks.py`로 "
              "되돌리세요(파일을 지우면 노트북 안의 사본을 사용합니다).",
    },
    "student.all_summary": {
        "en": "{passed} of {total} public checks passed, in {questions} questions",
        "ko": "문제 {questions}개의 공개 검사 {total}개 중 {passed}개 통과",
    },
    "student.all_without_checks": {
        "en": "No public checks for {questions} (hidden checks run when your notebook is graded).",
        "ko": "{questions}에는 공개 검사가 없습니다(숨은 검사는 채점할 때 실행됩니다).",
    },
    "student.data_missing": {
        "en": "The Keras dataset file `{name}` is not on this computer and could not be downloaded. Fix: name the "
              "course data folder your instructor gave you (the one holding `keras/` and `data/`) in the first "
              "cell, `Notebook(..., data_dir=\"path/to/course-data\")`, or set `{env}` to it; then run the cells "
              "again.",
        "ko": "Keras 데이터 파일 `{name}`이(가) 이 컴퓨터에 없고 내려받지도 못했습니다. 고치는 법: 강사가 준 강의 "
              "데이터 폴더(`keras/`와 `data/`가 들어 있는 폴더)를 첫 셀에서 `Notebook(..., data_dir=\"경로/"
              "course-data\")`로 알려 주거나 `{env}`를 그 폴더로 지정한 뒤 셀을 다시 실행하세요.",
    },
    "student.data_dir_missing": {
        "en": "Note: the course data folder {folder} does not exist; Keras datasets are downloaded as usual. Check "
              "the path given as `data_dir` (or in AUTOGRADER_DATA_DIR).",
        "ko": "참고: 강의 데이터 폴더 {folder}이(가) 없어 Keras 데이터는 평소처럼 내려받습니다. `data_dir`(또는 "
              "AUTOGRADER_DATA_DIR)에 준 경로를 확인하세요.",
    },
    "student.install_cell": {
        "en": "### Before you start: install the grader\n"
              "This notebook checks your answers with `grader.check(\"q1\")` (one question) and "
              "`grader.check_all()` (every question). It needs the course's package `{distribution}` (Python 3.11 "
              "or newer; pip also installs NumPy and TensorFlow, about 600 MB; not PyPI's `autograder`, another "
              "project). Install it in a terminal, with the Python that runs Jupyter (not in a cell of this "
              "notebook: the grader does not run installs):\n\n"
              "```\npip install {install}\n```\n\n"
              "{source}"
              "Run the next cell; `grader = Notebook(...)` must work without an error. Messages are in the "
              "course's language; `Notebook(\"{assignment}\", lang=\"en\")` or the environment variable "
              "`AUTOGRADER_LANG=en` chooses another. Offline (a lab machine), name the course data folder your "
              "instructor gave you: `Notebook(\"{assignment}\", data_dir=\"path/to/course-data\")` (or set "
              "`AUTOGRADER_DATA_DIR`), and `keras.datasets` loads from it. Each function call of a check is "
              "stopped after {call_time_s} s, as when it is graded. Submit this notebook (`.ipynb`) as it is.",
        "ko": "### 시작하기 전에: 채점기 설치\n"
              "이 노트북은 `grader.check(\"q1\")`(문제 하나)와 `grader.check_all()`(모든 문제)로 답을 "
              "검사합니다. 과정의 `{distribution}` 패키지가 필요합니다(Python 3.11 이상, NumPy와 TensorFlow도 함께 "
              "설치되며 약 600MB, PyPI의 `autograder`는 다른 프로젝트입니다). Jupyter를 실행하는 Python으로 "
              "터미널에서 설치하세요(이 노트북의 셀에서는 설치하지 마세요. 채점기는 설치 명령을 실행하지 "
              "않습니다).\n\n"
              "```\npip install {install}\n```\n\n"
              "{source}"
              "다음 셀을 실행했을 때 `grader = Notebook(...)`이 오류 없이 실행되어야 합니다. 메시지는 과정의 "
              "언어로 나오며, `Notebook(\"{assignment}\", lang=\"en\")` 또는 환경 변수 `AUTOGRADER_LANG=en`으로 "
              "바꿀 수 있습니다. 인터넷이 안 되는 실습실 컴퓨터에서는 강사가 준 강의 데이터 폴더를 "
              "`Notebook(\"{assignment}\", data_dir=\"경로/course-data\")`로 알려 주면(또는 "
              "`AUTOGRADER_DATA_DIR` 지정) `keras.datasets`가 그 폴더에서 데이터를 읽습니다. 검사가 함수를 한 번 "
              "호출할 때마다 채점할 때처럼 {call_time_s}초가 지나면 중단합니다. 이 노트북(`.ipynb`)을 그대로 "
              "제출하세요.",
    },
    "student.install_source": {
        "en": "Replace `<address>` with the package's address your instructor gives you: a wheel file "
              "(`pip install keras_autograder-0.1.0-py3-none-any.whl`) or the course repository "
              "(`pip install \"git+https://...\"`).\n\n",
        "ko": "`<address>`를 강사가 알려 준 패키지 주소로 바꾸세요: wheel 파일"
              "(`pip install keras_autograder-0.1.0-py3-none-any.whl`) "
              "또는 과정 저장소(`pip install \"git+https://...\"`).\n\n",
    },
}
