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
}
