"""Build-time helpers of this repository's own catalog, kept out of the wheel: `make models`
converts the real pretrained models its demo cards describe."""
