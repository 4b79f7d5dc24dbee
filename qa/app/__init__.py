"""The app: the Gradio chat, the service behind its buttons, and the HTML it shows."""
