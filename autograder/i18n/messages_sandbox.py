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
    "reason.grader_killed": {
        "en": "The grader process grading this submission died, beside others and again when it was graded "
              "alone ({detail}), e.g. the system ran out of memory, or a library crashed while reading a file "
              "(a model) this notebook produced. It was not graded. The other submissions were graded; this one "
              "is not retried by later runs. Instructor: find the cause (the run's log, the system log), then "
              "grade it again with --regrade-student {student}.",
        "ko": "이 제출물을 채점하던 채점 프로세스가 다른 제출물과 함께 채점할 때와 따로 채점할 때 모두 "
              "종료되었습니다({detail}). 예: 시스템 메모리 부족, 또는 이 노트북이 만든 파일(모델)을 읽던 "
              "라이브러리의 충돌. 채점되지 않았습니다. 다른 제출물은 채점했으며, 이 제출물은 다음 실행에서 다시 "
              "시도하지 않습니다. 강사: 원인(실행 기록, 시스템 로그)을 확인한 뒤 --regrade-student {student}로 "
              "다시 채점하세요.",
    },
    "check.reply_too_large": {
        "en": "`{call}` returned a value too large to send to the grader as plain Python data (nested lists, "
              "dicts, many numbers or long strings), so it could not be checked. Return a NumPy array (arrays "
              "are sent as bytes) or a smaller value, as the exercise asks.",
        "ko": "`{call}`이(가) 채점기로 보내기에 너무 큰 파이썬 데이터(중첩된 리스트, 딕셔너리, 많은 숫자나 긴 "
              "문자열)를 반환해서 검사할 수 없었습니다. 과제에서 요구하는 대로 NumPy 배열(배열은 바이트로 "
              "전송됩니다)이나 더 작은 값을 반환하세요.",
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
