"""DreamReel HTTP API: requests, status, films, sharing, fixes (see its issue)."""
