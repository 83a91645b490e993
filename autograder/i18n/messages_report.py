"""Words of the outputs (keys ``report.*``): feedback pages, Gradescope results and the class report.

Templates use no format specs: numbers arrive already formatted as strings.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- statuses -------------------------------------------------------------------------------------------
    "report.status.graded": {"ko": "채점 완료", "en": "graded"},
    "report.status.partly_graded": {"ko": "일부만 채점됨", "en": "partly graded"},
    "report.status.timed_out": {"ko": "시간 초과", "en": "timed out"},
    "report.status.out_of_memory": {"ko": "메모리 초과", "en": "out of memory"},
    "report.status.crashed": {"ko": "비정상 종료", "en": "crashed"},
    "report.status.invalid": {"ko": "채점할 수 없는 파일", "en": "invalid file"},
    "report.status.error": {"ko": "채점기 오류", "en": "grader error"},
    "report.check.passed": {"ko": "통과", "en": "passed"},
    "report.check.failed": {"ko": "실패", "en": "failed"},
    "report.check.error": {"ko": "오류", "en": "error"},
    "report.check.skipped": {"ko": "건너뜀", "en": "skipped"},
    "report.cell.error": {"ko": "예외 발생", "en": "raised an exception"},
    "report.cell.timeout": {"ko": "시간 초과로 중단", "en": "stopped: time limit"},
    "report.cell.killed": {"ko": "프로세스를 멈추게 해 제외", "en": "stopped the process; left out"},
    "report.cell.oom": {"ko": "메모리 초과로 중단", "en": "stopped: memory limit"},
    "report.cell.skipped": {"ko": "실행하지 않음", "en": "not run"},
    "report.visibility.hidden": {"ko": "숨은 검사", "en": "hidden"},
    "report.visibility.public": {"ko": "공개 검사", "en": "public"},
    # -- shared words ---------------------------------------------------------------------------------------
    "report.points_of": {"ko": "{points} / {max}점", "en": "{points} / {max} points"},
    "report.lines_omitted": {"ko": "… ({count}줄 생략) …", "en": "… ({count} lines omitted) …"},
    "report.chars_omitted": {"ko": "… ({count}자 생략) …", "en": "… ({count} characters omitted) …"},
    "report.question": {"ko": "문제 {question}", "en": "Question {question}"},
    "report.col.student": {"ko": "학생", "en": "Student"},
    "report.col.name": {"ko": "이름", "en": "Name"},
    "report.col.status": {"ko": "상태", "en": "Status"},
    "report.col.score": {"ko": "점수", "en": "Score"},
    "report.col.final": {"ko": "최종 점수", "en": "Final score"},
    "report.col.percent": {"ko": "득점률", "en": "Percent"},
    "report.col.late": {"ko": "지각 감점", "en": "Late penalty"},
    "report.col.check": {"ko": "검사", "en": "Check"},
    "report.col.result": {"ko": "결과", "en": "Result"},
    "report.col.points": {"ko": "점수", "en": "Points"},
    "report.col.message": {"ko": "메시지", "en": "Message"},
    "report.col.visibility": {"ko": "종류", "en": "Kind"},
    "report.col.question": {"ko": "문제", "en": "Question"},
    "report.col.count": {"ko": "횟수", "en": "Count"},
    "report.col.example": {"ko": "메시지(예)", "en": "Message (example)"},
    "report.col.reasons": {"ko": "이유", "en": "Reasons"},
    "report.col.source": {"ko": "제출 파일", "en": "Submitted file"},
    "report.col.pass_rate": {"ko": "통과율", "en": "Pass rate"},
    "report.col.passed": {"ko": "통과/실행", "en": "Passed/run"},
    "report.col.errors": {"ko": "오류", "en": "Errors"},
    "report.col.skipped": {"ko": "건너뜀", "en": "Skipped"},
    "report.col.mean": {"ko": "평균", "en": "Mean"},
    "report.col.full_marks": {"ko": "만점 학생", "en": "Full marks"},
    "report.col.seconds": {"ko": "채점 시간(초)", "en": "Grading time (s)"},
    "report.col.feedback": {"ko": "피드백", "en": "Feedback"},
    "report.feedback_link": {"ko": "보기", "en": "open"},
    # -- feedback page -------------------------------------------------------------------------------------
    "report.feedback.title": {"ko": "{assignment} 채점 결과", "en": "{assignment}: your results"},
    "report.feedback.submitted_at": {"ko": "제출 시각: {time}", "en": "Submitted: {time}"},
    "report.feedback.graded_at": {"ko": "채점 시각: {time}", "en": "Graded: {time}"},
    "report.feedback.late": {
        "ko": "늦게 제출해 점수의 {penalty}%를 감점했습니다. 최종 점수는 {final} / {max}점입니다.",
        "en": "Submitted late: {penalty}% of the points were removed. Your final score is {final} / {max} points.",
    },
    "report.feedback.reasons": {"ko": "채점 중 있었던 일", "en": "What happened while grading"},
    "report.feedback.hidden_note": {
        "ko": "숨은 검사는 채점할 때만 실행됩니다. 무엇이 틀렸는지는 알려 주지만, 검사에 쓴 입력과 검사 코드는 "
        "보여 주지 않습니다.",
        "en": "Hidden checks run only when your notebook is graded. You see what failed, never the inputs "
        "they used or their code.",
    },
    "report.feedback.all_passed": {"ko": "모든 검사를 통과했습니다.", "en": "Every check passed."},
    "report.feedback.skipped": {
        "ko": "이 문제의 검사 가운데 채점 서버에서 실행할 수 없어 건너뛴 것이 있습니다(이유는 아래 표). 건너뛴 검사의 "
        "점수는 내 점수에도, 만점에도 들어가지 않습니다.",
        "en": "Some of this question's checks could not run on the grading machine and were skipped (why: in the "
        "table below). Their points count neither toward your score nor toward the maximum.",
    },
    "report.feedback.not_graded": {
        "ko": "이 문제는 채점되지 않았습니다. 위의 이유를 확인하세요.",
        "en": "This question was not graded; see the reasons above.",
    },
    "report.feedback.cells": {"ko": "내 코드에서 난 오류", "en": "Errors in your own cells"},
    "report.feedback.cells_note": {
        "ko": "아래 셀에서 오류가 났습니다. 그 뒤의 셀은 계속 실행했지만, 오류 난 셀에서 정의해야 할 것이 "
        "없으면 관련 검사가 실패합니다.",
        "en": "These cells raised or were stopped. Later cells still ran, but checks that need what a failed "
        "cell should have defined fail too.",
    },
    "report.feedback.cell": {"ko": "{cell}번 셀: {status}", "en": "Cell {cell}: {status}"},
    "report.feedback.cell_ref": {"ko": "{cell}번 셀", "en": "cell {cell}"},
    "report.feedback.cells_numbering": {
        "ko": "셀 번호는 노트북 맨 위에서부터 글(마크다운) 셀까지 모두 센 번호이며, 오류 추적(traceback)도 같은 번호로 "
        "셀을 가리킵니다.",
        "en": "Cells are numbered from the top of the notebook, text (markdown) cells included; the traceback names "
        "cells the same way.",
    },
    "report.feedback.figures": {"ko": "노트북이 그린 그림", "en": "Plots your notebook made"},
    "report.feedback.figure_alt": {"ko": "{cell}번 셀의 그림", "en": "Plot from cell {cell}"},
    "report.feedback.output": {"ko": "노트북 출력(일부)", "en": "Your notebook's output (excerpt)"},
    "report.feedback.output_note": {
        "ko": "채점할 때 노트북이 출력한 내용입니다. 오류 메시지와 학습 로그를 확인하는 데 쓰세요.",
        "en": "What your notebook printed while it was graded: useful to read error messages and training logs.",
    },
    "report.feedback.footer": {
        "ko": "제출 파일: {source} · 내용 해시 {hash}",
        "en": "Submitted file: {source} · content hash {hash}",
    },
    "report.hidden_internal_error": {
        "ko": "채점기 문제로 이 숨은 검사를 마치지 못했습니다. 학생 코드의 문제가 아닙니다. 담당 강사에게 "
        "전달됩니다.",
        "en": "This hidden check could not be completed because of a problem in the grader, not in your code. "
        "Your instructor has been told.",
    },
    # -- Gradescope ----------------------------------------------------------------------------------------
    "report.gradescope.summary": {
        "ko": "{status}: {points} / {max}점",
        "en": "{status}: {points} / {max} points",
    },
    "report.gradescope.cell": {
        "ko": "{cell}번 셀: {status} {error}",
        "en": "Cell {cell}: {status} {error}",
    },
    # -- class report --------------------------------------------------------------------------------------
    "report.class.title": {"ko": "{assignment} 전체 채점 보고서", "en": "{assignment}: class report"},
    "report.class.summary": {"ko": "요약", "en": "Summary"},
    "report.class.summary_line": {
        "ko": "제출 {count}개 · 평균 {mean}점 · 중앙값 {median}점 · 최저 {min}점 · 최고 {max}점 (만점 {possible}점)",
        "en": "{count} submissions · mean {mean} · median {median} · lowest {min} · highest {max} "
        "(out of {possible})",
    },
    "report.class.status_line": {"ko": "{status}: {count}개", "en": "{status}: {count}"},
    "report.class.no_records": {"ko": "아직 채점된 제출이 없습니다.", "en": "No graded submissions yet."},
    "report.class.distribution": {"ko": "점수 분포", "en": "Score distribution"},
    "report.class.questions": {"ko": "문제별 점수", "en": "Scores per question"},
    "report.class.checks": {"ko": "검사별 통과율", "en": "Pass rate per check"},
    "report.class.failures": {"ko": "가장 흔한 실패 메시지", "en": "Most common failure messages"},
    "report.class.no_failures": {"ko": "실패한 검사가 없습니다.", "en": "No check failed."},
    "report.class.timing": {"ko": "채점 시간 분포", "en": "Grading time"},
    "report.class.timing_line": {
        "ko": "제출 하나당 채점 시간: 중앙값 {median}초, 최대 {max}초, 합계 {total}초",
        "en": "Grading time per submission: median {median} s, longest {max} s, total {total} s",
    },
    "report.class.problems": {
        "ko": "시간 초과·메모리 초과·비정상 종료·채점 불가 제출",
        "en": "Submissions that timed out, ran out of memory, crashed or were invalid",
    },
    "report.class.no_problems": {
        "ko": "모든 제출이 정상적으로 채점되었습니다.",
        "en": "Every submission was graded normally.",
    },
    "report.class.students": {"ko": "학생별 점수", "en": "Scores per student"},
    "report.plot.final_points": {"ko": "최종 점수", "en": "final points"},
    "report.plot.students": {"ko": "학생 수", "en": "students"},
    "report.plot.mean_percent": {"ko": "평균 득점률(%)", "en": "mean score (% of the points)"},
    "report.plot.pass_rate": {"ko": "통과율(%)", "en": "pass rate (%)"},
    "report.plot.seconds": {"ko": "채점 시간(초)", "en": "grading time (s)"},
    "report.plot.submissions": {"ko": "제출 수", "en": "submissions"},
    "report.plot.hidden_mark": {"ko": "{name} (숨은 검사)", "en": "{name} (hidden)"},
    "report.plot.alt": {"ko": "그래프: {title}", "en": "Plot: {title}"},
}
