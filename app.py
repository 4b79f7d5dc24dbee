"""The Gradio chat on the bundled articles: `python app.py` (same as `qa chat`; see `qa chat --help`)."""

from qa.cli import chat_command

if __name__ == "__main__":
    chat_command()
