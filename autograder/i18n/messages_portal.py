"""Words of the submission portal (keys ``portal.*``): its pages, refusals and notices, in Korean and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # -- sign-in --------------------------------------------------------------------------------------------
    "portal.title": {"ko": "과제 제출", "en": "Submissions"},
    "portal.signin.title": {"ko": "로그인", "en": "Sign in"},
    "portal.signin.intro": {"ko": "강사에게 받은 개인 링크를 열었다면 아래 버튼을 누르세요. "
                                  "토큰을 직접 붙여 넣어도 됩니다.",
                            "en": "If you opened the personal link your instructor sent you, press the button. "
                                  "You can also paste your token."},
    "portal.signin.token": {"ko": "토큰", "en": "Token"},
    "portal.signin.button": {"ko": "로그인", "en": "Sign in"},
    "portal.signin.bad_token": {"ko": "이 토큰으로는 로그인할 수 없습니다. 링크 전체를 복사했는지 확인하고, "
                                      "계속 안 되면 강사에게 새 링크를 요청하세요.",
                                "en": "This token does not sign you in. Check that you copied the whole link; if it "
                                      "still fails, ask your instructor for a new one."},
    "portal.signout": {"ko": "로그아웃", "en": "Sign out"},
    "portal.signed_in_as": {"ko": "{student}(으)로 로그인됨", "en": "Signed in as {student}"},
    # -- refusals -------------------------------------------------------------------------------------------
    "portal.rate_limited": {"ko": "요청이 너무 잦습니다. {seconds}초 뒤에 다시 시도하세요.",
                            "en": "Too many attempts. Try again in {seconds} seconds."},
    "portal.csrf": {"ko": "이 양식은 만료되었습니다. 페이지를 새로 고친 뒤 다시 보내세요.",
                    "en": "This form has expired. Reload the page and send it again."},
    "portal.not_found": {"ko": "찾을 수 없는 페이지입니다. 내 제출 목록에서 다시 여세요.",
                         "en": "There is no such page. Open it again from your list of submissions."},
    "portal.forbidden": {"ko": "강사 전용 페이지입니다.", "en": "This page is for instructors only."},
    "portal.signin_needed": {"ko": "로그인이 필요합니다. 강사에게 받은 개인 링크를 여세요.",
                             "en": "Please sign in: open the personal link your instructor sent you."},
    "portal.refused.not_open": {"ko": "이 과제는 지금 제출을 받지 않습니다.",
                                "en": "This assignment does not accept uploads now."},
    "portal.refused.closed": {"ko": "제출이 마감되었습니다 (마감: {close}). 연장이 필요하면 강사에게 문의하세요.",
                              "en": "Submissions are closed (closed at {close}). Ask your instructor if you need an "
                                    "extension."},
    "portal.refused.total_limit": {"ko": "이 과제에는 최대 {limit}번 제출할 수 있고, 모두 사용했습니다.",
                                   "en": "This assignment takes at most {limit} uploads, and you have made them all."},
    "portal.refused.day_limit": {"ko": "하루에 {limit}번까지 제출할 수 있습니다. 내일(UTC 기준) 다시 제출하세요.",
                                 "en": "You can upload {limit} times a day. Upload again tomorrow (UTC)."},
    "portal.refused.no_file": {"ko": "파일이 없습니다. 노트북 파일(.ipynb)을 골라 다시 보내세요.",
                               "en": "No file was sent. Choose your notebook (.ipynb) and send it again."},
    "portal.refused.unknown_assignment": {"ko": "그런 과제는 없습니다.", "en": "There is no such assignment."},
    # -- assignments ----------------------------------------------------------------------------------------
    "portal.assignments": {"ko": "과제", "en": "Assignments"},
    "portal.due": {"ko": "마감: {due}", "en": "Due {due}"},
    "portal.no_due": {"ko": "마감 없음", "en": "No due date"},
    "portal.extension": {"ko": "연장된 마감: {due}", "en": "Your extension: due {due}"},
    "portal.closes": {"ko": "제출 가능 기한: {close} (늦은 제출은 감점)",
                      "en": "Uploads accepted until {close} (late uploads lose points)"},
    "portal.late_rule": {"ko": "늦은 제출: 하루에 {percent}% 감점 (유예 {grace}분)",
                         "en": "Late: {percent}% off per day late ({grace} minutes of grace)"},
    "portal.limits": {"ko": "제출 횟수: 지금까지 {used}번{limits}", "en": "Uploads so far: {used}{limits}"},
    "portal.limit_total": {"ko": ", 최대 {limit}번", "en": ", at most {limit}"},
    "portal.limit_day": {"ko": ", 하루 {limit}번", "en": ", {limit} a day"},
    "portal.counts.last": {"ko": "마지막 제출이 성적에 반영됩니다.", "en": "Your last upload counts."},
    "portal.counts.chosen": {"ko": "선택한 제출이 성적에 반영됩니다 (선택하지 않으면 마지막 제출).",
                             "en": "The upload you choose counts (your last one, until you choose)."},
    "portal.upload": {"ko": "노트북 제출", "en": "Upload a notebook"},
    "portal.upload.button": {"ko": "제출", "en": "Upload"},
    "portal.upload.file": {"ko": "노트북 파일 (.ipynb)", "en": "Notebook file (.ipynb)"},
    "portal.history": {"ko": "제출 기록", "en": "Your uploads"},
    "portal.history.none": {"ko": "아직 제출하지 않았습니다.", "en": "You have not uploaded anything yet."},
    # -- a submission ---------------------------------------------------------------------------------------
    "portal.submission": {"ko": "제출 #{id}", "en": "Upload #{id}"},
    "portal.received": {"ko": "받은 시각: {time}", "en": "Received {time}"},
    "portal.status.queued": {"ko": "채점 대기 중: 앞에 {ahead}개", "en": "Waiting to be graded: {ahead} ahead of it"},
    "portal.status.grading": {"ko": "채점 중입니다…", "en": "Being graded…"},
    "portal.status.done": {"ko": "채점 완료", "en": "Graded"},
    "portal.refresh_note": {"ko": "이 페이지는 몇 초마다 저절로 새로 고쳐집니다.",
                            "en": "This page reloads itself every few seconds."},
    "portal.feedback": {"ko": "피드백 보기", "en": "Open the feedback"},
    "portal.score": {"ko": "점수: {points} / {max}", "en": "Score: {points} / {max}"},
    "portal.late_penalty": {"ko": "늦은 제출 감점 {percent}%", "en": "late penalty {percent}%"},
    "portal.hidden_later": {"ko": "숨은 검사 결과({points}점)는 마감 뒤에 공개됩니다. "
                                  "지금 보이는 점수는 공개 검사만의 점수입니다.",
                            "en": "The hidden checks ({points} points) are shown after the due date; the score "
                                  "shown now is of the public checks only."},
    "portal.choose": {"ko": "이 제출을 성적에 반영", "en": "Make this the one that counts"},
    "portal.chosen": {"ko": "성적에 반영되는 제출", "en": "This upload counts"},
    "portal.col.upload": {"ko": "제출", "en": "Upload"},
    "portal.col.received": {"ko": "받은 시각", "en": "Received"},
    "portal.col.status": {"ko": "상태", "en": "Status"},
    "portal.col.score": {"ko": "점수", "en": "Score"},
    "portal.back": {"ko": "과제 목록으로", "en": "Back to the assignments"},
    "portal.language": {"ko": "English", "en": "한국어"},
    # -- exam practice: a model file per category ----------------------------------------------------------
    "portal.exam.title": {"ko": "자격증 시험 연습", "en": "Certificate exam practice"},
    "portal.exam.intro": {"ko": "카테고리마다 학습한 모델을 저장한 파일(.keras 또는 .h5, 최대 {max_mb} MB)을 "
                                "올리면 채점기가 보이지 않는 데이터로 0~5점을 매깁니다. 몇 번이든 다시 올릴 수 "
                                "있습니다. `autograder exam start`로 연 시간 제한 세션 안에 올린 파일은 그 세션에 "
                                "반영되고, 그 밖의 파일은 연습으로 기록됩니다.",
                          "en": "For each category upload your trained model saved as a file (.keras or .h5, at "
                                "most {max_mb} MB); the grader scores it 0-5 on data you never see. Upload again "
                                "as often as you like. A file uploaded inside a timed session opened with "
                                "`autograder exam start` counts for that session; any other is recorded as "
                                "practice."},
    "portal.exam.fixed": {"ko": "입력 크기 {shape}, 마지막 레이어 {output}, 평가 지표: {metric}",
                          "en": "Input shape {shape}, last layer {output}, measured by {metric}"},
    "portal.exam.file": {"ko": "모델 파일 (.keras, .h5)", "en": "Model file (.keras, .h5)"},
    "portal.exam.no_file": {"ko": "파일이 없습니다. 저장한 모델 파일(mymodel.keras)을 골라 다시 보내세요.",
                            "en": "No file came with the form. Choose your saved model (mymodel.keras) and send "
                                  "it again."},
    "portal.exam.starter_here": {"ko": "`{name}`은(는) 시작 스크립트입니다. 포털은 저장한 모델 파일만 받습니다. "
                                       "고치는 법: 스크립트를 실행해 `model.save(\"mymodel.keras\")`로 저장한 "
                                       "파일을 올리거나, 스크립트는 `autograder exam submit`으로 제출하세요.",
                                 "en": "`{name}` is a starter script; the portal takes the saved model file only. "
                                       "Fix: run the script, upload the file `model.save(\"mymodel.keras\")` "
                                       "writes, or submit the script with `autograder exam submit`."},
    "portal.exam.score": {"ko": "점수: {score} / 5", "en": "Score: {score} / 5"},
    "portal.exam.practice": {"ko": "채점 완료 (연습으로 기록됨)", "en": "Scored (recorded as practice)"},
    "portal.exam.timed": {"ko": "채점 완료 (시간 제한 세션에 반영됨)", "en": "Scored (counts for your timed session)"},
    "portal.exam.not_scored": {"ko": "채점기가 이 파일을 채점하지 못했습니다. 다시 올리거나 강사에게 문의하세요.",
                               "en": "The grader could not score this file. Upload it again or ask your "
                                     "instructor."},
    "portal.exam.class_title": {"ko": "시험 연습: 응시자별 점수", "en": "Exam practice: scores per candidate"},
    "portal.exam.class_note": {"ko": "카테고리마다 반영되는 점수(제출 수). 합격선 {percent}%. 연습 세션은 포털의 "
                                     "시간 제한 없는 제출입니다.",
                               "en": "Each category's counted score (submissions). Pass line {percent}%. A practice "
                                     "session holds a candidate's untimed portal uploads."},
    "portal.exam.col_candidate": {"ko": "응시자", "en": "Candidate"},
    "portal.exam.col_session": {"ko": "세션", "en": "Session"},
    "portal.exam.state_practice": {"ko": "연습", "en": "practice"},
    "portal.exam.state_open": {"ko": "진행 중", "en": "open"},
    "portal.exam.state_closed": {"ko": "시간 종료", "en": "time up"},
    "portal.exam.state_finished": {"ko": "종료", "en": "finished"},
}
