"""Controlled vocabularies of the card format: tasks, frameworks, category tags.

Tasks follow Open Model Zoo's task types plus the sections the seed catalog needs; each task
carries its overview title and any extra overview columns.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskInfo:
    """How one task is shown on the overview page."""

    title: str
    summary: str
    # category tags shown as mark columns (detection tables)
    tag_columns: tuple[str, ...] = ()
    # accuracy metrics shown as value columns, e.g. Rank-1 for re-identification
    metric_columns: tuple[str, ...] = ()
    order: int = 100


TASKS: dict[str, TaskInfo] = {
    "detection": TaskInfo(
        "Object Detection",
        "Find objects such as faces, people and vehicles and return their bounding boxes.",
        tag_columns=("face", "person", "vehicle", "bike", "license-plate", "product"),
        order=0,
    ),
    "object_recognition": TaskInfo(
        "Object Recognition",
        "Classify, regress or read attributes of an object found by a detector.",
        order=1,
    ),
    "reidentification": TaskInfo(
        "Re-identification",
        "Embed an object crop so that the same identity seen twice lands close in feature space.",
        metric_columns=("Rank-1",),
        order=2,
    ),
    "semantic_segmentation": TaskInfo(
        "Semantic Segmentation", "Label every pixel of an image with a class.", order=3
    ),
    "instance_segmentation": TaskInfo(
        "Instance Segmentation", "Return a pixel mask for every detected object.", order=4
    ),
    "human_pose_estimation": TaskInfo(
        "Human Pose Estimation", "Locate body keypoints and link them into skeletons.", order=5
    ),
    "image_processing": TaskInfo(
        "Image Processing", "Improve or transform images, e.g. super-resolution.", order=6
    ),
    "text_detection": TaskInfo("Text Detection", "Locate text regions in images.", order=7),
    "text_recognition": TaskInfo(
        "Text Recognition", "Read the characters in a cropped text region.", order=8
    ),
    "text_spotting": TaskInfo("Text Spotting", "Detect and read text in one pipeline.", order=9),
    "action_recognition": TaskInfo(
        "Action Recognition", "Name the action performed in a short video clip.", order=10
    ),
    "image_retrieval": TaskInfo(
        "Image Retrieval", "Rank gallery images by similarity to a query image.", order=11
    ),
    "classification": TaskInfo(
        "Image Classification", "Assign one label from a fixed set to a whole image.", order=12
    ),
    "face_recognition": TaskInfo(
        "Face Recognition", "Identify or verify people from face crops.", order=13
    ),
    "question_answering": TaskInfo(
        "Question Answering", "Find the answer to a question in a text passage.", order=14
    ),
    "optical_character_recognition": TaskInfo(
        "Optical Character Recognition", "Turn images of text into strings.", order=15
    ),
    "object_attributes": TaskInfo("Object Attributes", "Predict attributes of an object."),
    "head_pose_estimation": TaskInfo("Head Pose Estimation", "Estimate head orientation."),
    "feature_extraction": TaskInfo("Feature Extraction", "Compute embeddings for downstream use."),
    "colorization": TaskInfo("Colorization", "Add color to grayscale images."),
    "image_inpainting": TaskInfo("Image Inpainting", "Fill in missing image regions."),
    "image_translation": TaskInfo("Image Translation", "Map images from one domain to another."),
    "machine_translation": TaskInfo("Machine Translation", "Translate text between languages."),
    "monocular_depth_estimation": TaskInfo(
        "Monocular Depth Estimation", "Estimate depth from a single image."
    ),
    "named_entity_recognition": TaskInfo(
        "Named Entity Recognition", "Tag names of people, places and things in text."
    ),
    "noise_suppression": TaskInfo("Noise Suppression", "Remove noise from audio."),
    "place_recognition": TaskInfo("Place Recognition", "Recognise a place from an image."),
    "salient_object_detection": TaskInfo(
        "Salient Object Detection", "Segment the most prominent object."
    ),
    "sound_classification": TaskInfo("Sound Classification", "Classify audio clips."),
    "speech_recognition": TaskInfo("Speech Recognition", "Transcribe speech to text."),
    "style_transfer": TaskInfo("Style Transfer", "Render an image in another style."),
    "text_to_speech": TaskInfo("Text to Speech", "Synthesise speech from text."),
    "time_series": TaskInfo("Time Series", "Forecast or classify time series."),
    "token_recognition": TaskInfo("Token Recognition", "Classify tokens of a text."),
    "face_detection": TaskInfo("Face Detection", "Find faces (single-purpose detectors)."),
    "pose_landmarks": TaskInfo("Pose Landmarks", "Regress body landmarks from a crop."),
}

FRAMEWORKS: dict[str, str] = {
    "dldt": "OpenVINO IR",
    "onnx": "ONNX",
    "pytorch": "PyTorch",
    "tf": "TensorFlow",
    "tf2": "TensorFlow 2",
    "tflite": "TensorFlow Lite",
    "paddle": "PaddlePaddle",
    "caffe": "Caffe",
    "caffe2": "Caffe2",
    "mxnet": "MXNet",
    "matconvnet": "MatConvNet",
    "keras": "Keras",
}

# Category marks and other labels a card may carry; unknown tags are check findings.
TAGS: tuple[str, ...] = (
    "face",
    "person",
    "vehicle",
    "bike",
    "license-plate",
    "product",
    "text",
    "binary",
    "sparse",
    "int8",
    "compressed",
    "encoder",
    "decoder",
    "imagenet",
    "coco",
    "pascal-voc",
)

ELEMENT_TYPES: tuple[str, ...] = (
    "f64", "f32", "f16", "bf16", "i64", "i32", "i16", "i8", "u64", "u32", "u16", "u8",
    "u1", "boolean", "string",
)  # fmt: skip

PRECISIONS: tuple[str, ...] = (
    "FP32",
    "FP16",
    "FP16-INT8",
    "FP32-INT8",
    "INT8",
    "FP16-INT1",
    "FP32-INT1",
)


def task_title(task: str) -> str:
    info = TASKS.get(task)
    return info.title if info else task.replace("_", " ").title()


# Tasks of imported zoos that our vocabulary names otherwise (`zoo import`): source -> ours.
# A task neither in TASKS nor here becomes FALLBACK_TASK, and the import report says so.
IMPORTED_TASKS: dict[str, str] = {
    "background_matting": "image_processing",  # an alpha matte per pixel: image-to-image
    "text_prediction": "token_recognition",  # next-token prediction over a text
    "image_classification": "classification",
    "object_detection": "detection",
    "segmentation": "semantic_segmentation",
    "super_resolution": "image_processing",
    "ocr": "optical_character_recognition",
}
FALLBACK_TASK = "feature_extraction"
