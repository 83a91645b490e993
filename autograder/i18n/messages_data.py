"""Messages about course data and Keras models crossing from the sandbox."""

MESSAGES: dict[str, dict[str, str]] = {
    "data.missing": {
        "en": "The Keras dataset file `{name}` is not available on the grading machine, and the sandbox cannot "
              "download it. Instructor: declare it in the assignment's solutions/<id>/data.yaml and run "
              "`autograder data fetch <id>` (or put it in the course data folder, `data_dir` in "
              "grading_config.yaml, under keras/datasets/, or in the Keras cache, ~/.keras/datasets/).",
        "ko": "채점 컴퓨터에 Keras 데이터 파일 `{name}`이 없고, 샌드박스에서는 내려받을 수 없습니다. "
              "강사: 과제의 solutions/<id>/data.yaml에 이 파일을 적고 `autograder data fetch <id>`를 실행하세요"
              "(또는 grading_config.yaml의 `data_dir` 폴더의 keras/datasets/ 아래나 Keras 캐시"
              "(~/.keras/datasets/)에 이 파일을 넣으세요).",
    },
    "data.no_pretrained_weights": {
        "en": "Note: the pretrained ImageNet weights (`{name}`) are not on the grading machine, so this network "
              "was built with random weights. Structure, freezing and fine-tuning are still graded; checks that "
              "need pretrained weights are skipped and do not count.",
        "ko": "참고: 채점 컴퓨터에 사전 학습된 ImageNet 가중치(`{name}`)가 없어 이 네트워크는 무작위 가중치로 "
              "만들어졌습니다. 구조, 동결, 미세 조정은 그대로 채점하고, 사전 학습 가중치가 필요한 검사는 건너뛰며 "
              "점수에 넣지 않습니다.",
    },
    "check.no_pretrained_weights": {
        "en": "Not checked: the pretrained weights `{name}` are not available on the grading machine "
              "(`pretrained_weights` in grading_config.yaml), so {what} could not be measured. This check does "
              "not count toward your score or its maximum.",
        "ko": "검사하지 않음: 채점 컴퓨터에 사전 학습 가중치 `{name}`이(가) 없어(grading_config.yaml의 "
              "`pretrained_weights`) {what}을(를) 측정할 수 없었습니다. 이 검사는 점수와 만점에 포함되지 않습니다.",
    },
    "data.no_course_data": {
        "en": "The course data folder is not set. Fix: set the environment variable `{env}` to the folder your "
              "instructor gave you (the one holding `data/` and `keras/`), then restart the kernel.",
        "ko": "강의 데이터 폴더가 지정되지 않았습니다. 고치는 법: 환경 변수 `{env}`를 강사가 준 폴더(`data/`와 "
              "`keras/`가 들어 있는 폴더)로 지정하고 커널을 다시 시작하세요.",
    },
    "data.course_file_missing": {
        "en": "`{path}` is not in the course data folder. Fix: check the name, or ask your instructor for the "
              "complete data folder.",
        "ko": "강의 데이터 폴더에 `{path}`이(가) 없습니다. 고치는 법: 이름을 확인하거나 강사에게 전체 데이터 폴더를 "
              "요청하세요.",
    },
    # what a skipped check would have measured (a fragment for check.no_pretrained_weights' {what})
    "data.what_val_accuracy": {
        "en": "the validation accuracy of `model`",
        "ko": "`model`의 검증 정확도",
    },
}
