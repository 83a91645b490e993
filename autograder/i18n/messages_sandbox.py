"""Messages about running the student's notebook in the sandbox."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.shell_refused": {
        "en": "Shell commands and package installs (`!...`, `%pip`, `%%bash`) are not run when grading: "
              "`{command}`. Remove this line; everything the assignment needs is already installed.",
        "ko": "채점할 때는 셸 명령과 패키지 설치(`!...`, `%pip`, `%%bash`)를 실행하지 않습니다: "
              "`{command}`. 이 줄을 지우세요. 과제에 필요한 패키지는 이미 설치되어 있습니다.",
    },
}
