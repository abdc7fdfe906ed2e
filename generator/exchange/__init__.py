"""Cards exported to other zoos' formats: Hugging Face model cards, Papers-with-Code model-index."""
