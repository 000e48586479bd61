"""The server front-end: `serve`, a live preview in the browser, on Starlette and uvicorn.

Takes the project and the engine's prepared content (the same loop as `watch`);
gives a web application: an index of every handout, each handout's printed HTML
shown as pages with its findings, its current PDF, and a push to open pages after
every save (`live`, `pages`). `app` builds one application from groups of routes,
so other responders can be served beside the preview; `files` is the only way a
request reaches the disk.
"""
