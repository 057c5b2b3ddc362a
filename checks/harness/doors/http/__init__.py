"""The HTTP door: the learner's server under uvicorn and an immutable client."""
