"""Camera QR readers: the OpenCV driver and its simulator.

NOTE: Qt-free zone. Import the back-ends from their modules (``hardware.camera.opencv_qr``,
``hardware.camera.simulated``); this package itself imports nothing heavy.
"""
