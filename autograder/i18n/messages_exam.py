"""Messages of the certificate-exam practice: refusals of a model file, the session, the result page."""

MESSAGES: dict[str, dict[str, str]] = {
    "exam.starter_failed": {
        "en": "Your script stopped with {ename}: {evalue}. Fix: run it yourself (`python starter.py`) until it "
              "saves mymodel.keras without an error, then submit it again.",
        "ko": "스크립트가 {ename}: {evalue} 오류로 멈췄습니다. 고치는 법: 직접 실행해서(`python starter.py`) "
              "오류 없이 mymodel.keras를 저장하는지 확인한 뒤 다시 제출하세요.",
    },
    "exam.starter_stopped": {
        "en": "Your script was stopped ({status}): a submitted script may use {cpu_s} s of CPU time, {wall_s} s "
              "in all and {memory_mb} MB of memory. Fix: train for fewer epochs or on fewer examples, or train "
              "on your own machine and submit the saved mymodel.keras.",
        "ko": "스크립트가 중단되었습니다({status}): 제출한 스크립트는 CPU 시간 {cpu_s}초, 전체 {wall_s}초, "
              "메모리 {memory_mb}MB까지 쓸 수 있습니다. 고치는 법: 에포크나 학습 예제를 줄이거나, 직접 "
              "학습해서 저장한 mymodel.keras를 제출하세요.",
    },
    "exam.starter_no_model": {
        "en": "Your script saved no model: neither mymodel.keras nor mymodel.h5 was written and there is no "
              "`solution_model()` to call. Fix: end the script with "
              "`solution_model().save(\"mymodel.keras\")` as the starter does.",
        "ko": "스크립트가 모델을 저장하지 않았습니다: mymodel.keras도 mymodel.h5도 없고 호출할 "
              "`solution_model()`도 없습니다. 고치는 법: 시작 코드처럼 스크립트 끝에서 "
              "`solution_model().save(\"mymodel.keras\")`를 실행하세요.",
    },
    "exam.starter_model_too_large": {
        "en": "The model file your script saved ({name}) is over the {limit_mb} MB cap. Fix: use fewer or "
              "smaller layers.",
        "ko": "스크립트가 저장한 모델 파일({name})이 상한 {limit_mb}MB를 넘습니다. 고치는 법: 층의 수나 "
              "크기를 줄이세요.",
    },
    "exam.starter_too_large": {
        "en": "`{name}` is over {limit_kb} KB; a starter script is a short program. Fix: submit the script "
              "itself, not data.",
        "ko": "`{name}`이(가) {limit_kb}KB를 넘습니다. 시작 스크립트는 짧은 프로그램입니다. 고치는 법: "
              "데이터가 아닌 스크립트만 제출하세요.",
    },
    "exam.file_kind": {
        "en": "`{name}` is not a file the exam accepts. It accepts a saved model, .keras (or the legacy .h5), or "
              "the starter script that makes one, .py (or its notebook, .ipynb). Fix: in your "
              "`solution_model()` script save the trained model with `model.save(\"mymodel.keras\")` and submit "
              "that file, or submit the script itself.",
        "ko": "`{name}`은(는) 시험이 받는 파일이 아닙니다. 시험은 저장한 모델 .keras(또는 예전 형식 .h5)나 "
              "그 모델을 만드는 시작 스크립트 .py(또는 그 노트북 .ipynb)를 받습니다. 고치는 법: "
              "`solution_model()` 스크립트에서 학습한 모델을 `model.save(\"mymodel.keras\")`로 저장하고 "
              "그 파일을 제출하거나, 스크립트 자체를 제출하세요.",
    },
    "exam.file_unreadable": {
        "en": "The file `{name}` could not be read ({detail}). Fix: check the path and submit the saved model file.",
        "ko": "파일 `{name}`을(를) 읽을 수 없습니다({detail}). 고치는 법: 경로를 확인하고 저장한 모델 파일을 "
              "제출하세요.",
    },
    "exam.input_shape": {
        "en": "The model's input shape is {found}, but this category fixes it at {expected} (the batch dimension "
              "first, then the shape of one example). The grader feeds exactly that shape, so the tests would "
              "fail. Fix: start the model with `keras.Input(shape={shape})` as the starter does.",
        "ko": "모델의 입력 크기가 {found}인데, 이 카테고리는 {expected}(배치 차원 다음에 예제 하나의 크기)로 "
              "정해져 있습니다. 채점기는 정확히 그 크기를 넣으므로 테스트가 실패합니다. 고치는 법: 시작 코드처럼 "
              "`keras.Input(shape={shape})`로 모델을 시작하세요.",
    },
    "exam.output_layer": {
        "en": "The model's last layer is {found}, but this category fixes it at {expected}. The grader reads the "
              "output as that layer gives it, so the tests would fail. Fix: end the model with "
              "`keras.layers.{expected}` as the starter says.",
        "ko": "모델의 마지막 레이어가 {found}인데, 이 카테고리는 {expected}로 정해져 있습니다. 채점기는 그 레이어가 "
              "내는 출력으로 읽으므로 테스트가 실패합니다. 고치는 법: 시작 코드에 적힌 대로 "
              "`keras.layers.{expected}`로 모델을 끝내세요.",
    },
    "exam.predict_failed": {
        "en": "The model loaded, but predicting on the category's inputs failed in the model process ({detail}). "
              "Fix: check that `model.predict` works on inputs of the fixed shape in your script.",
        "ko": "모델은 불러왔지만 카테고리 입력으로 예측하는 데 모델 프로세스에서 실패했습니다({detail}). 고치는 법: "
              "스크립트에서 정해진 크기의 입력으로 `model.predict`가 되는지 확인하세요.",
    },
    "exam.grader_error": {
        "en": "The grader could not score this file ({detail}); this is not your mistake and was not counted. "
              "Fix: submit again; tell the instructor if it repeats.",
        "ko": "채점기가 이 파일을 채점하지 못했습니다({detail}). 응시자의 잘못이 아니며 점수에 넣지 않았습니다. "
              "고치는 법: 다시 제출하고, 반복되면 강사에게 알리세요.",
    },
    "exam.scored": {
        "en": "{category}: score {score}/5 ({metric_name} {metric} on the hidden data).",
        "ko": "{category}: {score}/5점 (숨겨진 데이터에서 {metric_name} {metric}).",
    },
    "exam.metric_mae": {"en": "mean absolute error", "ko": "평균 절대 오차"},
    "exam.metric_accuracy": {"en": "accuracy", "ko": "정확도"},
    "exam.rule_levels_min": {
        "en": "Score: one point for each threshold the {metric_name} on the hidden data is at or below: {thresholds} "
              "(derived from the reference solution's {reference}).",
        "ko": "점수: 숨겨진 데이터에서의 {metric_name}이(가) 다음 기준 이하일 때마다 1점: {thresholds} "
              "(참고 답안의 {reference}에서 정함).",
    },
    "exam.rule_levels_max": {
        "en": "Score: one point for each threshold the {metric_name} on the hidden data reaches: {thresholds} "
              "(derived from the reference solution's {reference}).",
        "ko": "점수: 숨겨진 데이터에서의 {metric_name}이(가) 다음 기준 이상일 때마다 1점: {thresholds} "
              "(참고 답안의 {reference}에서 정함).",
    },
    "exam.rule_linear": {
        "en": "Score: min(5, ceil({a:g} - {b:g} × {metric_name})) on the hidden data, at least 0.",
        "ko": "점수: 숨겨진 데이터에서 min(5, ceil({a:g} - {b:g} × {metric_name})), 최소 0점.",
    },
    "exam.window_closed": {
        "en": "The exam window closed at {deadline} (UTC); nothing is accepted after it. Your scores stand as they "
              "were; run `autograder exam finish` for your result page.",
        "ko": "시험 시간이 {deadline}(UTC)에 끝났습니다. 그 뒤에는 아무것도 받지 않습니다. 점수는 그대로이며, "
              "`autograder exam finish`로 결과 페이지를 만드세요.",
    },
    "exam.finished": {
        "en": "This exam session was finished at {finished} (UTC); nothing more is accepted. Start a new session "
              "with `autograder exam start --candidate ID` to practise again.",
        "ko": "이 시험 세션은 {finished}(UTC)에 끝났습니다. 더 이상 받지 않습니다. 다시 연습하려면 "
              "`autograder exam start --candidate ID`로 새 세션을 시작하세요.",
    },
    "exam.not_submitted": {
        "en": "Not submitted: a category never submitted scores 0.",
        "ko": "제출하지 않음: 한 번도 제출하지 않은 카테고리는 0점입니다.",
    },
    "exam.page_title": {"en": "Certificate exam practice: {candidate}", "ko": "자격증 시험 연습: {candidate}"},
    "exam.page_summary": {
        "en": "Total {percent}% (weighted), pass line {line}%: {verdict}. Started {started}, finished {finished} "
              "(UTC); {counts}.",
        "ko": "합계 {percent}%(가중), 합격선 {line}%: {verdict}. 시작 {started}, 종료 {finished}(UTC); {counts}.",
    },
    "exam.pass": {"en": "PASS", "ko": "합격"},
    "exam.fail": {"en": "FAIL", "ko": "불합격"},
    "exam.counts_best": {"en": "the best submission of each category counts",
                         "ko": "카테고리마다 가장 좋은 제출이 반영됩니다"},
    "exam.counts_last": {"en": "the last submission of each category counts",
                         "ko": "카테고리마다 마지막 제출이 반영됩니다"},
    "exam.col_category": {"en": "Category", "ko": "카테고리"},
    "exam.col_score": {"en": "Score", "ko": "점수"},
    "exam.col_weight": {"en": "Weight", "ko": "가중치"},
    "exam.col_submissions": {"en": "Submissions", "ko": "제출 수"},
    "exam.col_notes": {"en": "What to know", "ko": "알아둘 점"},
    "exam.history": {"en": "Every submission", "ko": "모든 제출"},
    "exam.col_time": {"en": "Received (UTC)", "ko": "받은 시각(UTC)"},
    "exam.col_file": {"en": "File", "ko": "파일"},
    "exam.col_result": {"en": "Result", "ko": "결과"},
    "exam.practice_header": {
        "en": "Category {number}, {title} ({name}): the public checks, on this machine, without the clock.",
        "ko": "카테고리 {number}, {title} ({name}): 공개 검사, 이 컴퓨터에서, 시간 제한 없이.",
    },
    "exam.practice_no_exam": {
        "en": "No exam folder found: neither {folder} nor a folder above it holds exam.yaml. Fix: open the practice "
              "notebook in its category folder (exam/categoryN/starter.ipynb), or give the folder: "
              "`Notebook(\"exam\", ...)` with {env}=path/to/exam set.",
        "ko": "시험 폴더를 찾지 못했습니다: {folder}에도 그 위 폴더에도 exam.yaml이 없습니다. 고치는 법: 연습 "
              "노트북을 카테고리 폴더(exam/categoryN/starter.ipynb)에서 열거나, {env}=시험 폴더 경로를 설정하세요.",
    },
    "exam.practice_bad_exam": {
        "en": "The exam folder cannot be used: {detail}",
        "ko": "시험 폴더를 쓸 수 없습니다: {detail}",
    },
    "exam.practice_unknown": {
        "en": "There is no exam category {name!r}. Fix: check one of {known}, e.g. `grader.check(\"category2\")`.",
        "ko": "시험 카테고리 {name!r}이(가) 없습니다. 고치는 법: {known} 중 하나를 검사하세요. 예: "
              "`grader.check(\"category2\")`.",
    },
    "exam.practice_all_summary": {
        "en": "check_all: the saved model of every category folder that has one ({done} of {total}: {names}); "
              "practice score {score}/{maximum} over those.",
        "ko": "check_all: 저장한 모델이 있는 모든 카테고리 폴더의 모델 ({total}개 중 {done}개: {names}); "
              "그 모델들의 연습 점수 {score}/{maximum}.",
    },
    "exam.practice_all_none": {
        "en": "check_all checks the saved model ({files}) in each category folder of the exam ({exam}); none has "
              "one yet. Fix: save your model in its category's folder, or check one file with "
              "grader.check(\"category1\").",
        "ko": "check_all은 시험의 각 카테고리 폴더 ({exam})에 저장한 모델 ({files})을 검사합니다. 아직 저장된 모델이 "
              "없습니다. 해결: 모델을 해당 카테고리 폴더에 저장하거나, grader.check(\"category1\")로 한 파일을 "
              "검사하세요.",
    },
    "exam.practice_no_file": {
        "en": "No saved model in {folder} ({files}). Fix: run the cell that saves it "
              "(`solution_model().save(\"mymodel.keras\")`), then check again.",
        "ko": "{folder}에 저장한 모델이 없습니다({files}). 고치는 법: 모델을 저장하는 셀"
              "(`solution_model().save(\"mymodel.keras\")`)을 실행한 뒤 다시 검사하세요.",
    },
    "exam.practice_no_data": {
        "en": "The public validation data is not on this machine, so no practice score: {detail}",
        "ko": "공개 검증 데이터가 이 컴퓨터에 없어 연습 점수를 낼 수 없습니다: {detail}",
    },
    "exam.practice_file": {
        "en": "File: {file}, {size_mb} MB (the exam's cap: {cap_mb} MB).",
        "ko": "파일: {file}, {size_mb}MB (시험의 상한: {cap_mb}MB).",
    },
    "exam.practice_refused": {
        "en": "✗ The exam would refuse this file and score it 0: {reason}",
        "ko": "✗ 시험은 이 파일을 거부하고 0점을 줍니다: {reason}",
    },
    "exam.practice_passed": {
        "en": "✓ Loaded in safe mode (no Lambda or custom layer), input shape {shape}, last layer {layer}.",
        "ko": "✓ 안전 모드로 불러왔습니다(Lambda나 사용자 정의 층 없음), 입력 크기 {shape}, 마지막 층 {layer}.",
    },
    "exam.practice_score": {
        "en": "Practice score {score}/5: {metric} {value} on {count} examples of the public validation data "
              "({data}). The exam scores the same file by the same rule on hidden data it never shows; expect "
              "about this score, not exactly it.",
        "ko": "연습 점수 {score}/5: 공개 검증 데이터({data}) {count}개에서 {metric} {value}. 시험은 같은 파일을 "
              "같은 규칙으로, 보여 주지 않는 숨은 데이터에서 채점합니다. 이 점수와 비슷하겠지만 같지는 않을 수 "
              "있습니다.",
    },
    "exam.practice_data_linear": {"en": "other points of the same line", "ko": "같은 직선의 다른 점들"},
    "exam.practice_data_fashion_mnist": {
        "en": "the test file's images before the hidden ones, as the starter validates",
        "ko": "시작 코드가 검증에 쓰는, 숨은 이미지 앞쪽의 테스트 이미지",
    },
    "exam.practice_data_imdb": {
        "en": "the first 5000 test reviews, as the starter validates",
        "ko": "시작 코드가 검증에 쓰는 첫 5000개 테스트 리뷰",
    },
    "exam.practice_data_image_folder": {
        "en": "the first validation images of each class, as the starter validates",
        "ko": "시작 코드가 검증에 쓰는, 클래스마다 앞쪽의 검증 이미지",
    },
    "exam.practice_data_daily_sports": {
        "en": "the public subjects' windows, which you train on: the hidden subjects score lower",
        "ko": "학습에 쓰는 공개 참가자들의 구간이므로 숨은 참가자에서는 점수가 더 낮습니다",
    },
    "exam.report.categories": {"en": "Exam categories", "ko": "시험 카테고리"},
    "exam.report.candidates": {"en": "Candidates", "ko": "응시자"},
    "exam.report.submitted": {"en": "Submitted", "ko": "제출함"},
    "exam.report.mean": {"en": "Mean score", "ko": "평균 점수"},
    "exam.refused_prefix": {"en": "Refused, scored 0: ", "ko": "거부되어 0점: "},
}
