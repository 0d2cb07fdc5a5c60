"""Chromium's own network throttling, for browser tests of what a slow line shows."""


def throttle_uploads(page, bytes_per_second):
    """Requests from ``page`` go up at ``bytes_per_second`` (downloads unthrottled)."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )
