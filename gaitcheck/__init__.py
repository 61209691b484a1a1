"""gaitcheck: watch a recorded walk and say, rule by rule, how the walker's posture holds up.

Heavy libraries (mediapipe, cv2) are imported only where they are used, so that the CLI's
help and the plain-value modules load instantly.
"""
__version__ = "0.1.0"
