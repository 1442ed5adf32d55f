"""`python -m dreamreel_assets.cli`: the `dreamreel` command."""

from dreamreel_assets.cli import app

if __name__ == "__main__":
    app()
