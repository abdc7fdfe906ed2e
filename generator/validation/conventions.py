"""The counting conventions `zoo validate` can count GFLOPs by, and the one a zoo uses by default.

Names only, without OpenVINO: the CLI and the MkDocs plugin read the default from here; the
rules of each convention are in generator/validation/complexity.py.
"""

from __future__ import annotations

from typing import Literal

Convention = Literal["model-analyzer", "full"]
CONVENTIONS: dict[str, str] = {
    "model-analyzer": "as openvinotoolkit/model_analyzer counts the constant-folded IR, and so "
    "as Open Model Zoo publishes: Gelu, recurrent ops and the ops its rules miss "
    "(BatchNormInference, Greater, Maximum, Minimum, Power) count 0, MVN 2 per value; attention "
    "(SDPA) counts as its matrix products and softmax, as in the unfused graphs OMZ counted",
    "full": "every op at its real cost: attention as its two matrix products, scale, mask and "
    "softmax; recurrent ops per time step with their gates; Gelu and MVN in full",
}
DEFAULT_CONVENTION: Convention = "model-analyzer"
