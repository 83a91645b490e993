"""The portal's web application: server-side pages (Jinja2, escaped), no JavaScript, every form CSRF-protected.

Students sign in with their token (a personal link), see their assignments, upload a notebook, watch its place in
the queue and read its feedback (the report's own feedback page, hidden checks only when due). Instructors (an
instructor token) see the class, each student's history, the class report, the queue, regrade, give extensions
and download the exports. A student asking for anything that is not theirs gets 404; for an instructor page, 403.
"""

from __future__ import annotations

import csv
import io
import secrets
import threading
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from autograder.checks.core import titles_in
from autograder.config import GradingConfig, load_config
from autograder.errors import SubmissionError
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.result_page import outcome_text
from autograder.exam.session import class_standings
from autograder.gradebook import Gradebook
from autograder.gradebook.records import StoredResult
from autograder.i18n import LANGUAGES, message, register_assignment
from autograder.portal import door, exam_uploads, policy
from autograder.portal.ratelimit import RateLimit
from autograder.portal.settings import PortalConfig, policy_of, portal_config
from autograder.portal.store import DONE, QUEUED, Job, PortalStore, Session, Upload
from autograder.portal.views import without_hidden
from autograder.portal.worker import GradingLoop, utc_now
from autograder.report import class_report_html, feedback_html
from autograder.report.common import number
from autograder.report.feedback import local_time
from autograder.report.html import tag
from autograder.report.rebuild import write_outputs

SESSION_COOKIE = "ag_session"
PRE_COOKIE = "ag_pre"  # the sign-in form's CSRF token, before there is a session
LANG_COOKIE = "ag_lang"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]
DOWNLOADS = ("grades.csv", "canvas.csv", "gradescope.zip")


class BodyTooLarge(Exception):
    """A request body went past the portal's cap (an upload larger than bulk grading accepts)."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(size)


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def chunks_of(file: UploadFile) -> AsyncIterator[bytes]:
    """An uploaded file's bytes, 256 KiB at a time (the stores count and cap them as they come)."""
    while True:
        chunk = await file.read(256 * 1024)
        if not chunk:
            return
        yield chunk


class Refused(Exception):
    """A request turned away before its route ran; ``response`` is what the client gets (sign in, 403, 404)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _instructor(request: Request) -> Session:
    guard: Callable[[Request], Session] = request.app.state.instructor
    return guard(request)


def _course_assignment(request: Request, assignment: str, session: Instructor) -> str:
    """``session`` is unused here: asking for it makes FastAPI check the role before the assignment."""
    guard: Callable[[Request, str], str] = request.app.state.course_assignment
    return guard(request, assignment)


# The instructor routes' dependencies: the route runs only for a signed-in instructor (anyone not signed in is sent
# to sign in, a student gets 403) and, for an assignment's pages, one the course has (else 404, checked after the
# role, so a student learns nothing of the course's assignments). create_app sets the guards on app.state.
Instructor = Annotated[Session, Depends(_instructor)]
CourseAssignment = Annotated[str, Depends(_course_assignment)]


class Guard:
    """ASGI wrapper: security headers on every response, and a cap on every request body."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited() -> MutableMapping[str, Any]:
            nonlocal received
            item = await receive()
            if item["type"] == "http.request":
                received += len(item.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(received)
            return item

        async def guarded(item: MutableMapping[str, Any]) -> None:
            if item["type"] == "http.response.start":
                item = {**item, "headers": [*item.get("headers", []), *SECURITY_HEADERS]}
            await send(item)

        await self.app(scope, limited, guarded)


class Portal:
    """The application's state: the configuration, the rate limits, one database connection per thread."""

    def __init__(self, config_path: Path, settings: PortalConfig | None = None) -> None:
        self.config_path = config_path
        self.config: GradingConfig = load_config(config_path)
        self.portal: PortalConfig = settings or portal_config(self.config, str(config_path),
                                                              config_path.resolve().parent)
        self.uploads = RateLimit(self.portal.upload_limit, self.portal.upload_window_s)
        self.signins = RateLimit(self.portal.signin_limit, self.portal.signin_window_s)
        self._local = threading.local()
        for assignment in self.config.assignments:
            register_assignment(self.config.solutions_dir / assignment, assignment)
        PortalStore(self.config.gradebook).close()  # the tables exist before the first request
        folder = exam_uploads.find_exam(config_path.resolve().parent, self.portal.exam_dir)
        self.exam: Exam | None = load_exam(folder) if folder is not None else None  # a broken one: named at start

    @property
    def max_body(self) -> int:
        """The largest request body accepted: the notebook cap, or the exam's model cap, plus the form."""
        exam_bytes = self.exam.max_bytes if self.exam is not None else 0
        return max(door.NOTEBOOK_BYTES, exam_bytes) + door.ENVELOPE_BYTES

    def store(self) -> PortalStore:
        """This thread's connection to the portal's tables."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = PortalStore(self.config.gradebook)
        return store

    def book(self) -> Gradebook:
        """This thread's gradebook."""
        book = getattr(self._local, "book", None)
        if book is None:
            book = self._local.book = Gradebook.open(self.config.gradebook)
        return book

    def assignments(self) -> list[str]:
        """The assignments the portal offers (every configured one), sorted."""
        return sorted(self.config.assignments)

    def time(self, moment: str | datetime | None) -> str:
        """A time as pages show it (the course's zone)."""
        if moment is None:
            return ""
        return local_time(moment.isoformat() if isinstance(moment, datetime) else moment, self.config.zone())


def create_app(config_path: Path, *, grading: bool = True, settings: PortalConfig | None = None) -> FastAPI:
    """The portal of the course configured in ``config_path``; ``grading``: run the grading loop in this process;
    ``settings``: the portal's settings instead of the config's ``portal:`` section."""
    state = Portal(config_path, settings)
    loop = GradingLoop(config_path, state.portal) if grading else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if loop is not None:
            loop.start()
        yield
        if loop is not None:
            loop.stop()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.portal = state
    app.state.loop = loop
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    max_body = door.NOTEBOOK_BYTES + door.ENVELOPE_BYTES  # a notebook upload's cap (an exam model's is its own)
    # --- helpers ------------------------------------------------------------------------------------------------

    def lang_of(request: Request) -> str:
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen in LANGUAGES:
            return str(chosen)
        return state.portal.language or state.config.language

    def session_of(request: Request) -> Session | None:
        return state.store().session(request.cookies.get(SESSION_COOKIE))

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)

        def t(key: str, **params: Any) -> str:
            return message(key, lang, **params)

        session = context.pop("session", None) or session_of(request)
        response = templates.TemplateResponse(
            request, name, {"lang": lang, "t": t, "session": session, "csrf": session.csrf if session else "",
                            "other_lang": "en" if lang == "ko" else "ko", **context}, status_code=status)
        return response

    def notice(request: Request, key: str, status: int, **params: Any) -> HTMLResponse:
        return render(request, "notice.html", status=status, key=key, params=params)

    def csrf_ok(session: Session, form: Any) -> bool:
        given = form.get("csrf")
        return isinstance(given, str) and secrets.compare_digest(given, session.csrf)

    def secure(request: Request) -> bool:
        setting = state.portal.cookie_secure
        return request.url.scheme == "https" if setting is None else setting

    def own_upload(session: Session, upload_id: int) -> Upload | None:
        upload = state.store().upload(upload_id)
        if upload is None or (upload.student != session.identity.student and not session.identity.instructor):
            return None
        return upload

    def grade_of(job: Job | None) -> StoredResult | None:
        if job is None or job.status != DONE:
            return None
        found = [r for r in state.book().history(job.upload.assignment, job.upload.student)
                 if r.key.source == job.source]
        return found[-1] if found else None

    def extension(assignment: str, student: str) -> datetime | None:
        return state.store().extension(assignment, student)

    def shown(record: StoredResult, session: Session) -> tuple[StoredResult, float]:
        """The grade as this viewer may see it, and the hidden points left out."""
        if session.identity.instructor:
            return record, 0.0
        assignment = record.assignment
        settings = state.config.assignment(assignment)
        visible = policy.hidden_visible(settings, policy_of(state.portal, assignment), moment=datetime.now(UTC),
                                        extension=extension(assignment, record.key.student))
        return (record, 0.0) if visible else without_hidden(record)

    def summary(job: Job | None, session: Session) -> dict[str, Any]:
        record = grade_of(job)
        if record is None or job is None:
            return {"job": job, "score": None, "ahead": state.store().position(job) if job else 0}
        record, hidden = shown(record, session)
        return {"job": job, "score": f"{number(record.final_points)} / {number(record.result.max_points)}",
                "grade_status": record.result.status, "hidden": hidden, "late": record.late_penalty,
                "ahead": 0}

    @app.exception_handler(Refused)
    async def refused(request: Request, error: Refused) -> Response:
        return error.response

    def instructor_session(request: Request) -> Session:
        session = session_of(request)
        if session is None:
            raise Refused(RedirectResponse("/login", status_code=303))
        if not session.identity.instructor:
            raise Refused(notice(request, "portal.forbidden", 403))
        return session

    def course_assignment(request: Request, assignment: str) -> str:
        if assignment not in state.config.assignments:
            raise Refused(notice(request, "portal.not_found", 404))
        return assignment

    app.state.instructor = instructor_session
    app.state.course_assignment = course_assignment

    # --- signing in -------------------------------------------------------------------------------------------

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, token: str = "") -> Response:
        pre = request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)
        response = render(request, "signin.html", token=token[:200], pre=pre, session=None)
        response.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=secure(request),
                            max_age=3600)
        return response

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        token, pre = str(form.get("token") or "").strip(), form.get("csrf")
        cookie = request.cookies.get(PRE_COOKIE)
        if not (isinstance(pre, str) and cookie and secrets.compare_digest(pre, cookie)):
            return notice(request, "portal.csrf", 403)
        client = request.client.host if request.client else "unknown"
        keys = ("ip:" + client, "token:" + token[:64])  # failed attempts count: a class behind one NAT signs in
        wait = max(state.signins.blocked(key) for key in keys)
        if wait:
            return notice(request, "portal.rate_limited", 429, seconds=wait)
        identity = state.store().identity(token)
        if identity is None:
            for key in keys:
                state.signins.hit(key)
            return render(request, "signin.html", status=403, token="", pre=cookie, error="portal.signin.bad_token",
                          session=None)
        cookie_value, _ = state.store().start_session(identity, state.portal.session_hours)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, cookie_value, httponly=True, samesite="lax", secure=secure(request),
                            max_age=int(state.portal.session_hours * 3600))
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        session = session_of(request)
        form = await request.form(max_files=0, max_fields=2)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        state.store().end_session(request.cookies.get(SESSION_COOKIE, ""))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/lang/{lang}")
    def choose_language(request: Request, lang: str) -> Response:
        response = RedirectResponse("/", status_code=303)
        if lang in LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax", secure=secure(request),
                                max_age=365 * 86400)
        return response

    # --- students ---------------------------------------------------------------------------------------------

    def assignment_view(assignment: str, student: str, session: Session) -> dict[str, Any]:
        settings = state.config.assignment(assignment)
        rules = policy_of(state.portal, assignment)
        ext = extension(assignment, student)
        uploads = state.store().uploads(assignment, student)
        decision = policy.decide(settings, rules, moment=datetime.now(UTC), extension=ext, uploads=uploads)
        close = policy.closes_at(settings, rules, ext)
        rows = [{"upload": u, **summary(state.store().latest_job(u.id), session)} for u in reversed(uploads)]
        return {"id": assignment, "due": state.time(settings.due) if settings.due else None,
                "extension": state.time(ext) if ext else None, "close": state.time(close) if close else None,
                "late_days": rules.late_days, "penalty": number(100 * settings.late_penalty_per_day),
                "grace": number(settings.grace_minutes), "used": len(uploads), "max_total": rules.max_total,
                "max_per_day": rules.max_per_day, "counts": rules.counts, "decision": decision,
                "refusal": dict(decision.params, close=state.time(decision.params["close"]))
                if decision.key == "portal.refused.closed" else decision.params,
                "rows": rows}

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        session = session_of(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        if session.identity.instructor:
            return RedirectResponse("/instructor", status_code=303)
        student = session.identity.student
        views = [assignment_view(a, student, session) for a in state.assignments()]
        return render(request, "home.html", session=session, assignments=views,
                      exam=exam_view(student, session, lang_of(request)) if state.exam is not None else None)

    # --- exam practice: a model file per category --------------------------------------------------------------

    def exam_result(upload: Upload, lang: str) -> dict[str, Any]:
        """An exam upload's job, place in the queue and, once scored, its record as the student reads it."""
        job = state.store().latest_job(upload.id)
        found = None
        if job is not None and job.status == DONE and state.exam is not None:
            found = exam_uploads.recorded(state.store().db, state.exam.config.name, upload.student, job.id,
                                          upload.filename)
        info: dict[str, Any] = {"upload": upload, "job": job, "ahead": state.store().position(job) if job else 0,
                                "recorded": found, "text": "", "score": None, "metric": ""}
        if found is not None:
            row = found.row
            info["text"] = outcome_text(row, lang)
            info["score"] = row.score if row.status in ("scored", "refused") else None
            if row.status == "scored" and row.metric is not None and state.exam is not None:
                metric = state.exam.categories[row.category].metric
                info["metric"] = f"{message('exam.metric_' + metric, lang)} {row.metric:.4f}"
        return info

    def exam_view(student: str, session: Session, lang: str) -> dict[str, Any]:
        assert state.exam is not None
        exam = state.exam
        categories = []
        for category in exam.categories.values():
            uploads = state.store().uploads(exam_uploads.assignment_of(category), student)
            categories.append({"id": category.id, "number": category.number, "title": category.title[lang],
                               "input_shape": "(" + ", ".join(str(d) for d in category.input_shape) + ")",
                               "output": f"{category.output.layer}({category.output.units}, "
                                         f"activation=\"{category.output.activation}\")",
                               "metric": message("exam.metric_" + category.metric, lang),
                               "rows": [exam_result(u, lang) for u in reversed(uploads)]})
        return {"categories": categories, "max_mb": f"{exam.config.max_model_mb:g}",
                "counts": exam.config.counts}

    @app.post("/exam/{category_name}/upload")
    async def exam_upload(request: Request, category_name: str) -> Response:
        session = session_of(request)
        if session is None:
            return notice(request, "portal.signin_needed", 401)
        exam = state.exam
        if exam is None or category_name not in exam.categories or session.identity.instructor:
            return notice(request, "portal.refused.unknown_assignment", 404)
        category = exam.categories[category_name]
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > exam.max_bytes + door.ENVELOPE_BYTES:
            refusal = exam_uploads.size_refusal(int(declared), exam.max_bytes)
            return notice(request, refusal.key, refusal.status, **refusal.params)
        try:
            form = await request.form(max_files=1, max_fields=4)
        except BodyTooLarge as exceeded:
            refusal = exam_uploads.size_refusal(exceeded.size, exam.max_bytes)
            return notice(request, refusal.key, refusal.status, **refusal.params)
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        wait = state.uploads.hit(f"token:{session.identity.token_id}")
        if wait:
            return notice(request, "portal.rate_limited", 429, seconds=wait)
        file = form.get("file")
        if file is None or isinstance(file, str) or not file.filename:
            return notice(request, "portal.exam.no_file", 400)

        try:
            stored = await exam_uploads.store(chunks_of(file), file.filename,
                                              state.portal.uploads_dir / "exam" / category.id, max_bytes=exam.max_bytes)
        except exam_uploads.Refused as refusal:
            return notice(request, refusal.key, refusal.status, **refusal.params)
        job = state.store().accept(exam_uploads.assignment_of(category), session.identity.student, stored.filename,
                                   stored.path, stored.sha256, stored.size, utc_now(), kind=exam_uploads.KIND)
        return RedirectResponse(f"/u/{job.upload.id}", status_code=303)

    @app.post("/a/{assignment}/upload")
    async def upload(request: Request, assignment: str) -> Response:
        session = session_of(request)
        if session is None:
            return notice(request, "portal.signin_needed", 401)
        if assignment not in state.config.assignments or session.identity.instructor:
            return notice(request, "portal.refused.unknown_assignment", 404)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_body:
            error = door.too_large(int(declared))
            return notice(request, error.key, 413, **{**error.params, "file": "upload"})
        try:
            form = await request.form(max_files=1, max_fields=4)
        except BodyTooLarge as exceeded:
            error = door.too_large(exceeded.size)
            return notice(request, error.key, 413, **{**error.params, "file": "upload"})
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        student = session.identity.student
        wait = state.uploads.hit(f"token:{session.identity.token_id}")
        if wait:
            return notice(request, "portal.rate_limited", 429, seconds=wait)
        file = form.get("file")
        if file is None or isinstance(file, str) or not file.filename:
            return notice(request, "portal.refused.no_file", 400)
        settings = state.config.assignment(assignment)
        rules = policy_of(state.portal, assignment)
        uploads = state.store().uploads(assignment, student)
        decision = policy.decide(settings, rules, moment=datetime.now(UTC), extension=extension(assignment, student),
                                 uploads=uploads)
        if not decision.accepted:
            params = dict(decision.params)
            if "close" in params:
                params["close"] = state.time(params["close"])
            return notice(request, str(decision.key), 403, **params)

        try:
            stored = await door.store(chunks_of(file), file.filename, state.portal.uploads_dir / assignment,
                                      max_cells=state.config.max_cells)
        except SubmissionError as error:
            return notice(request, error.key, 413 if error.key == "submission.file_too_large" else 422,
                          **error.params)
        job = state.store().accept(assignment, student, stored.filename, stored.path, stored.sha256, stored.size,
                                   utc_now())
        return RedirectResponse(f"/u/{job.upload.id}", status_code=303)

    @app.get("/u/{upload_id}", response_class=HTMLResponse)
    def upload_page(request: Request, upload_id: int) -> Response:
        session = session_of(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        upload = own_upload(session, upload_id)
        if upload is None:
            return notice(request, "portal.not_found", 404)
        if exam_uploads.is_exam(upload.assignment):
            category = state.exam.categories.get(exam_uploads.category_id(upload.assignment)) if state.exam else None
            return render(request, "exam_upload.html", session=session, received=state.time(upload.received_at),
                          title=f"{category.number}. {category.title[lang_of(request)]}" if category else "",
                          **exam_result(upload, lang_of(request)))
        info = summary(state.store().latest_job(upload.id), session)
        rules = policy_of(state.portal, upload.assignment)
        return render(request, "upload.html", session=session, upload=upload, received=state.time(upload.received_at),
                      counts=rules.counts, **info)

    @app.get("/u/{upload_id}/feedback", response_class=HTMLResponse)
    def feedback(request: Request, upload_id: int) -> Response:
        session = session_of(request)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        upload = own_upload(session, upload_id)
        record = grade_of(state.store().latest_job(upload.id)) if upload is not None else None
        if upload is None or record is None:
            return notice(request, "portal.not_found", 404)
        record, hidden = shown(record, session)
        lang = lang_of(request)
        page = feedback_html(record, lang, title=upload.assignment, zone=state.config.zone(),
                             titles=titles_in(state.config.solutions_dir / upload.assignment))
        if hidden:
            note = tag("p", message("portal.hidden_later", lang, points=number(hidden)), class_="note",
                       id="hidden-later")
            page = page.replace("<h1>", note + "<h1>", 1)
        return HTMLResponse(page)

    @app.post("/u/{upload_id}/choose")
    async def choose(request: Request, upload_id: int) -> Response:
        session = session_of(request)
        form = await request.form(max_files=0, max_fields=2)
        if session is None:
            return RedirectResponse("/login", status_code=303)
        upload = own_upload(session, upload_id)
        if upload is None or upload.student != session.identity.student or exam_uploads.is_exam(upload.assignment):
            return notice(request, "portal.not_found", 404)
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        state.store().choose(upload)
        book = state.book()
        job = state.store().latest_job(upload.id)
        record = grade_of(job)
        latest = book.latest(upload.assignment, upload.student)
        if record is not None and (latest is None or latest.key.source != record.key.source):
            run_id = book.start_run(upload.assignment, fingerprint_of_checks="", config_hash="", workers=0,
                                    command=f"autograder serve: {upload.student} chose upload {upload.id}")
            book.record(run_id, upload.assignment, record.key, record.result, fingerprint=record.fingerprint,
                        late_penalty=record.late_penalty)
            from autograder.gradebook import RunStatus

            book.finish_run(run_id, RunStatus.FINISHED)
        return RedirectResponse(f"/u/{upload.id}", status_code=303)

    # --- instructors -----------------------------------------------------------------------------------------

    @app.get("/instructor", response_class=HTMLResponse)
    def instructor(request: Request, session: Instructor) -> Response:
        return render(request, "instructor.html", session=session, assignments=state.assignments(),
                      counts=state.store().counts(), exam=state.exam is not None)

    @app.get("/instructor/exam", response_class=HTMLResponse)
    def exam_class(request: Request, session: Instructor) -> Response:
        if state.exam is None:
            return notice(request, "portal.not_found", 404)
        lang = lang_of(request)
        rows = []
        for one in class_standings(state.store().db, state.exam):
            state_key = ("practice" if one.session.practice else "finished" if one.session.finished_at
                         else "open" if one.open else "closed")
            rows.append({"candidate": one.session.candidate, "session": one.session.id, "state": state_key,
                         "scores": [(c.score, c.attempts) for c in one.categories], "percent": f"{one.percent:g}",
                         "passed": one.passed, "started": state.time(one.session.started_at)})
        categories = [f"{c.number}. {c.title[lang]}" for c in state.exam.categories.values()]
        return render(request, "exam_class.html", session=session, rows=rows, categories=categories,
                      pass_percent=f"{state.exam.config.pass_percent:g}")

    def class_rows(assignment: str) -> list[dict[str, Any]]:
        store = state.store()
        records = {r.key.student: r for r in state.book().results(assignment)}
        students = {s for s, _ in store.students()} | set(records)
        uploads: dict[str, list[Upload]] = {}
        for item in store.uploads(assignment):
            uploads.setdefault(item.student, []).append(item)
        rows = []
        for student in sorted(students):
            record = records.get(student)
            last = uploads.get(student, [])
            job = store.latest_job(last[-1].id) if last else None
            rows.append({"student": student, "uploads": len(last), "job": job,
                         "score": f"{number(record.final_points)} / {number(record.result.max_points)}"
                         if record else "", "status": record.result.status if record else "",
                         "extension": state.time(store.extension(assignment, student))
                         if store.extension(assignment, student) else ""})
        return rows

    @app.get("/instructor/a/{assignment}", response_class=HTMLResponse)
    def dashboard(request: Request, assignment: CourseAssignment, session: Instructor) -> Response:
        return render(request, "dashboard.html", session=session, assignment=assignment, rows=class_rows(assignment),
                      downloads=DOWNLOADS)

    @app.get("/instructor/a/{assignment}/report", response_class=HTMLResponse)
    def class_report(request: Request, assignment: CourseAssignment) -> Response:
        records = state.book().results(assignment)
        settings = state.config.assignment(assignment)
        links = {r.key.student: f"/instructor/a/{assignment}/student/{r.key.student}" for r in records}
        return HTMLResponse(class_report_html(records, settings.points, lang_of(request), title=assignment,
                                              feedback_links=links,
                                              titles=titles_in(state.config.solutions_dir / assignment)))

    @app.get("/instructor/a/{assignment}/student/{student}", response_class=HTMLResponse)
    def student_history(request: Request, assignment: CourseAssignment, student: str,
                        session: Instructor) -> Response:
        view = assignment_view(assignment, student, session)
        return render(request, "student.html", session=session, assignment=assignment, student=student, view=view)

    @app.post("/instructor/a/{assignment}/regrade")
    async def regrade(request: Request, assignment: CourseAssignment, session: Instructor) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        who = str(form.get("student") or "")
        store = state.store()
        latest: dict[str, Upload] = {}
        for item in store.uploads(assignment):
            if not who or item.student == who:
                latest[item.student] = item if not item.chosen or item.student not in latest else latest[item.student]
        chosen = {u.student: u for u in store.uploads(assignment) if u.chosen}
        targets = [chosen.get(s, u).id for s, u in sorted(latest.items())]
        store.regrade(targets, session.identity.student)
        return RedirectResponse("/instructor/queue", status_code=303)

    @app.post("/instructor/a/{assignment}/extension")
    async def give_extension(request: Request, assignment: CourseAssignment, session: Instructor) -> Response:
        form = await request.form(max_files=0, max_fields=4)
        if not csrf_ok(session, form):
            return notice(request, "portal.csrf", 403)
        student, due = str(form.get("student") or ""), str(form.get("due") or "")
        try:
            moment = datetime.fromisoformat(due)
        except ValueError:
            return render(request, "notice.html", status=400, key="", params={},
                          text=f"not a date and time: {due[:40]!r}; write it like 2026-12-08T23:59+09:00")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=state.config.zone() or UTC)
        state.store().extend(assignment, student, moment, session.identity.student)
        return RedirectResponse(f"/instructor/a/{assignment}", status_code=303)

    @app.get("/instructor/a/{assignment}/download/{name}")
    def download(request: Request, assignment: CourseAssignment, name: str) -> Response:
        if name not in DOWNLOADS:
            return notice(request, "portal.not_found", 404)
        output = (state.config.results_dir / assignment).resolve()
        write_outputs(state.book().results(assignment), state.config, assignment, state.config.language, output)
        if name == "gradescope.zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted((output / "gradescope").glob("*.json")):
                    archive.write(path, f"gradescope/{path.name}")
            body, kind = buffer.getvalue(), "application/zip"
        else:
            body, kind = (output / name).read_bytes(), "text/csv; charset=utf-8"
        return Response(body, media_type=kind,
                        headers={"content-disposition": f'attachment; filename="{assignment}-{name}"'})

    @app.get("/instructor/queue", response_class=HTMLResponse)
    def queue(request: Request, session: Instructor) -> Response:
        store = state.store()
        jobs = store.jobs(limit=200)
        return render(request, "queue.html", session=session, jobs=jobs, counts=store.counts(),
                      queued=QUEUED, time=state.time)

    @app.get("/healthz")
    def health() -> Response:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(sorted(state.store().counts().items()))
        return Response(buffer.getvalue(), media_type="text/plain")

    return app


def asgi(config_path: Path, *, grading: bool = True, settings: PortalConfig | None = None) -> Guard:
    """The whole ASGI application: the portal behind its guard (headers, body cap)."""
    app = create_app(config_path, grading=grading, settings=settings)
    guard = Guard(app, app.state.portal.max_body)
    guard.fastapi = app  # type: ignore[attr-defined]
    return guard
