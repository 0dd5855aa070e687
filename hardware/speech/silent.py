"""A speech engine that says nothing (speech switched off, or no audio at all). Not a driver."""

from __future__ import annotations

from hardware.protocols import DeviceState, DeviceStatus

__all__ = ["SilentSpeechEngine"]


class SilentSpeechEngine:
    """Simulated :class:`~hardware.protocols.SpeechEngine`: ``speak`` returns at once."""

    name = "silent"

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        return None

    def stop(self) -> None:
        return None

    def status(self) -> DeviceStatus:
        return DeviceStatus(DeviceState.READY, "silent")
