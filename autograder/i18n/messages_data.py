"""Messages about course data and Keras models crossing from the sandbox."""

MESSAGES: dict[str, dict[str, str]] = {
    "data.missing": {
        "en": "The Keras dataset file `{name}` is not available on the grading machine, and the sandbox cannot "
              "download it. Instructor: put it in the course data folder (`data_dir` in grading_config.yaml, "
              "under keras/datasets/) or in the Keras cache (~/.keras/datasets/).",
        "ko": "채점 컴퓨터에 Keras 데이터 파일 `{name}`이 없고, 샌드박스에서는 내려받을 수 없습니다. "
              "강사: grading_config.yaml의 `data_dir` 폴더(keras/datasets/ 아래)나 Keras 캐시"
              "(~/.keras/datasets/)에 이 파일을 넣으세요.",
    },
}
