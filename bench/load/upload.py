"""Upload a file into an `st.file_uploader` as the frontend does.

1. Ask the session for upload URLs (`BackMsg.file_urls_request` → `file_urls_response`).
2. PUT the file as multipart form data to `/_stcore/upload_file/<session>/<file id>`, with the
   XSRF cookie the page's HTML set and the same token in the `X-Xsrftoken` header.
3. Set the widget's value to a `FileUploaderState` naming the uploaded file; that starts a run.
"""

from __future__ import annotations

import requests
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo

from bench.load.protocol import ProtocolError, Run, Session

XSRF_COOKIE = "_streamlit_xsrf"
HTTP_TIMEOUT = 30.0


def xsrf_token(http: requests.Session, base: str) -> str:
    """The XSRF token from the cookie that the health check sets, which the frontend asks for
    before it connects (empty when XSRF protection is off)."""
    if XSRF_COOKIE not in http.cookies:
        http.get(base + "/_stcore/health", timeout=HTTP_TIMEOUT).raise_for_status()
    return http.cookies.get(XSRF_COOKIE, "")


def upload(session: Session, key: str, name: str, data: bytes, http: requests.Session) -> Run:
    """Put `data` as file `name` into the file uploader `key`; the run that follows."""
    urls = session.file_urls([name])
    if len(urls) != 1:
        raise ProtocolError(f"expected one upload URL, got {len(urls)}")
    token = xsrf_token(http, session.base)
    response = http.put(
        session.base + urls[0].upload_url,
        files={"file": (name, data, "text/csv")},
        headers={"X-Xsrftoken": token} if token else {},
        timeout=HTTP_TIMEOUT,
    )
    if response.status_code != 204:
        raise ProtocolError(f"upload refused: HTTP {response.status_code} {response.text[:200]}")
    state = FileUploaderState()
    state.uploaded_file_info.append(
        UploadedFileInfo(file_id=urls[0].file_id, name=name, size=len(data), file_urls=urls[0])
    )
    return session.set_value(key, file_uploader_state_value=state)
