"""Start the app: Solara's server (Starlette on uvicorn) serving ``countysim.app.pages``.

Solara reads its settings from the environment when it is first imported, so :func:`serve`
sets them before importing it: no usage telemetry, no Font Awesome (the pages use Vuetify's
icons), no Solara banner, production mode.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import webbrowser

from countysim.app.config import AppConfig, configure

#: Solara settings the app runs with (forced: a county's machine sends nothing anywhere)
SOLARA_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_FONTAWESOME_ENABLED": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "SOLARA_THEME_TITLE": "countysim",
    "SOLARA_MODE": "production",
    "SOLARA_APP": "countysim.app.pages",
}


def serve(config: AppConfig, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True) -> None:
    """Serve the app until interrupted.

    Args:
        config: what the app reads and writes.
        host: the address to bind (``127.0.0.1``: this machine only).
        port: the TCP port.
        open_browser: open the app in the default browser once the server is up.
    """
    os.environ.update(SOLARA_ENV)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    configure(config)
    config.pool().executor()  # start the workers now: the first run should not wait for them
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(
            "solara.server.starlette:app", host=host, port=port, log_level="warning", access_log=False
        )
    )
    if open_browser:
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"

        def opener() -> None:
            for _ in range(600):
                if server.started:
                    webbrowser.open(url)
                    return
                time.sleep(0.1)

        threading.Thread(target=opener, daemon=True, name="countysim-app-open").start()
    # uvicorn stops on SIGTERM and then raises it again: end through Python, so the workers are stopped
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run()
    finally:
        config.pool().shutdown()
