"""Messages about running the student's notebook in the sandbox."""

MESSAGES: dict[str, dict[str, str]] = {
    "sandbox.shell_refused": {
        "en": "Shell commands and package installs (`!...`, `%pip`, `%%bash`) are not run when grading: "
              "`{command}`. Remove this line; everything the assignment needs is already installed.",
        "ko": "채점할 때는 셸 명령과 패키지 설치(`!...`, `%pip`, `%%bash`)를 실행하지 않습니다: "
              "`{command}`. 이 줄을 지우세요. 과제에 필요한 패키지는 이미 설치되어 있습니다.",
    },
    "student.summary": {
        "en": "{question}: {passed} of {total} public checks passed",
        "ko": "{question}: 공개 검사 {total}개 중 {passed}개 통과",
    },
    "student.in_grader": {
        "en": "{question}: checked by the grader",
        "ko": "{question}: 채점기에서 검사합니다",
    },
    "student.no_checks": {
        "en": "{question}: no public checks for this question (hidden checks run when it is graded)",
        "ko": "{question}: 이 문제에는 공개 검사가 없습니다(숨은 검사는 채점할 때 실행됩니다)",
    },
    "reason.checks_errored": {
        "en": "Partly graded: these checks could not run ({checks}); see each check's message (e.g. not "
              "calibrated, or a fault in the check). Their points were not awarded. Instructor: fix or calibrate, "
              "then grade again; only the affected submissions are re-graded.",
        "ko": "일부만 채점됨: 다음 검사를 실행하지 못했습니다({checks}). 각 검사의 메시지(보정되지 않음, 검사 코드 "
              "오류 등)를 확인하세요. 이 검사들의 점수는 주지 않았습니다. 강사: 고치거나 보정한 뒤 다시 채점하면 "
              "영향을 받은 제출물만 다시 채점합니다.",
    },
    "reason.grader_failed": {
        "en": "The grader process grading this submission failed ({detail}); it was not graded. It will be graded "
              "again by the next run.",
        "ko": "이 제출물을 채점하던 채점 프로세스가 실패했습니다({detail}). 채점되지 않았으며 다음 실행에서 다시 "
              "채점합니다.",
    },
    "reason.cell_timeout": {
        "en": "Cell {cell} ran longer than {seconds} s and was stopped; the cells after it still ran.",
        "ko": "{cell}번 셀이 {seconds}초보다 오래 실행되어 중단했습니다. 그 다음 셀들은 계속 실행했습니다.",
    },
    "reason.cell_oom": {
        "en": "Cell {cell} used more memory than allowed and was stopped; the notebook was re-run without it.",
        "ko": "{cell}번 셀이 허용된 메모리보다 많이 사용해 중단했습니다. 이 셀을 빼고 노트북을 다시 실행했습니다.",
    },
    "reason.cell_crashed": {
        "en": "Cell {cell} stopped the notebook's process (exit, kill or crash); the notebook was re-run "
              "without it.",
        "ko": "{cell}번 셀이 노트북 프로세스를 멈추게 했습니다(종료, 강제 종료 또는 충돌). 이 셀을 빼고 노트북을 "
              "다시 실행했습니다.",
    },
    "reason.cell_protocol": {
        "en": "Cell {cell} interfered with the grader's connection to the notebook; the notebook was re-run "
              "without it.",
        "ko": "{cell}번 셀이 채점기와 노트북 사이의 연결을 방해했습니다. 이 셀을 빼고 노트북을 다시 실행했습니다.",
    },
    "reason.call_timeout": {
        "en": "`{name}` did not finish within the time limit when a check called it; its other checks were "
              "not run.",
        "ko": "검사에서 `{name}`을(를) 호출했을 때 제한 시간 안에 끝나지 않았습니다. 이 함수의 나머지 검사는 "
              "실행하지 않았습니다.",
    },
    "reason.call_crashed": {
        "en": "Calling `{name}` stopped the notebook's process; its other checks were not run.",
        "ko": "`{name}` 호출이 노트북 프로세스를 멈추게 했습니다. 이 함수의 나머지 검사는 실행하지 않았습니다.",
    },
    "reason.call_oom": {
        "en": "Calling `{name}` used more memory than allowed; its other checks were not run.",
        "ko": "`{name}` 호출이 허용된 메모리보다 많이 사용했습니다. 이 함수의 나머지 검사는 실행하지 않았습니다.",
    },
    "reason.call_protocol": {
        "en": "Calling `{name}` interfered with the grader's connection to the notebook.",
        "ko": "`{name}` 호출이 채점기와 노트북 사이의 연결을 방해했습니다.",
    },
    "reason.total_timeout": {
        "en": "The notebook used up its total time limit; what had not run by then earned no points.",
        "ko": "노트북이 전체 제한 시간을 모두 사용했습니다. 그때까지 실행되지 않은 부분은 점수를 받지 못했습니다.",
    },
    "reason.restarts": {
        "en": "The notebook's process was stopped too many times; the remaining checks were not run.",
        "ko": "노트북 프로세스가 너무 여러 번 중단되어 남은 검사를 실행하지 않았습니다.",
    },
}
