"""Killable child processes, the player pipeline and the status cache of the speech engines.

Every child runs in its own session (process group), so a player given as ``sh -c …`` is
killed together with whatever it started. Children are killed only by their own group id,
and only while not yet reaped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO

from hardware.protocols import DeviceState, DeviceStatus, SpeechError
from hardware.speech.pcm import PcmFormat, silent_wav

#: How often a blocking ``speak`` looks at its stop flag.
POLL_S = 0.02

#: Player used when none is configured: reads a WAV stream on stdin.
DEFAULT_PLAYER: tuple[str, ...] = ("aplay", "-q", "-")

_PROBE_TIMEOUT_S = 2.0
_STDERR_TAIL_CHARS = 160


def stderr_tail(file: IO[bytes]) -> str:
    """Last non-empty line of a child's stderr (collected in a temporary file)."""
    with contextlib.suppress(OSError, ValueError):
        file.seek(0)
        lines = [ln.strip() for ln in file.read().decode("utf-8", "replace").splitlines()]
        lines = [ln for ln in lines if ln]
        if lines:
            return lines[-1][-_STDERR_TAIL_CHARS:]
    return ""


class ManagedProcess:
    """A child process in its own process group, with stderr kept in a temporary file."""

    def __init__(
        self, argv: Sequence[str], *, stdin: int | None, stdout: int | IO[bytes] | None
    ) -> None:
        self.argv = tuple(argv)
        # Lives as long as the process object; closed in close().
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.popen: subprocess.Popen[bytes] = subprocess.Popen(
                self.argv,
                stdin=stdin,
                stdout=stdout,
                stderr=self._stderr,
                start_new_session=True,
            )
        except OSError as exc:
            self._stderr.close()
            raise SpeechError(f"cannot start {self.argv[0]}: {exc.strerror or exc}") from exc

    def kill(self) -> None:
        """SIGKILL the process group unless the process has already been reaped."""
        if self.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)

    def reap(self, timeout_s: float = 1.0) -> int | None:
        """Wait for the exit status; kill if it does not come within ``timeout_s``."""
        try:
            return self.popen.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            try:
                return self.popen.wait(timeout_s)
            except subprocess.TimeoutExpired:  # pragma: no cover - unkillable child
                return None

    def error_detail(self) -> str:
        return stderr_tail(self._stderr)

    def close(self) -> None:
        for stream in (self.popen.stdin, self.popen.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._stderr.close()


class PlayerError(SpeechError):
    """The audio player could not play (e.g. no audio output)."""


def play(
    player: Sequence[str],
    chunks: Iterable[bytes],
    *,
    cancel: threading.Event,
    timeout_s: float,
    on_abort: Callable[[], None] = lambda: None,
) -> bool:
    """Feed ``chunks`` (a WAV stream) to ``player``'s stdin and wait until it has played them.

    A pump thread writes the chunks (blocking on the player's pace); this thread waits for the
    player, polling ``cancel`` every ``POLL_S``. On cancel or timeout the player is killed and
    ``on_abort`` is called (to kill the producer of ``chunks``). The caller reaps that producer:
    if the player fails early, the producer may be left blocked on a full pipe.

    Returns:
        True when played to the end, False when ``cancel`` was set.

    Raises:
        PlayerError: the player could not be started or exited with an error.
        SpeechError: the chunks raised it, or playback overran ``timeout_s``.
    """
    proc = ManagedProcess(player, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    pump_errors: list[BaseException] = []

    def pump() -> None:
        sink = proc.popen.stdin
        assert sink is not None
        try:
            for chunk in chunks:
                if cancel.is_set():
                    break
                sink.write(chunk)
                sink.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the player is gone; its exit status tells why
        except Exception as exc:
            pump_errors.append(exc)
        finally:
            with contextlib.suppress(OSError):
                sink.close()

    pump_thread = threading.Thread(target=pump, name="speech-pump", daemon=True)
    deadline = time.monotonic() + timeout_s
    outcome = "aborted"
    try:
        pump_thread.start()
        outcome = "played"
        while proc.popen.poll() is None:
            if cancel.wait(POLL_S):
                outcome = "cancelled"
                break
            if time.monotonic() > deadline:
                outcome = "timeout"
                break
    finally:
        if proc.popen.poll() is None:
            proc.kill()
            on_abort()
        proc.reap()
        pump_thread.join(1.0)
        code, detail = proc.popen.returncode, proc.error_detail()
        proc.close()
    if outcome == "cancelled":
        return False
    if outcome == "timeout":
        raise SpeechError(f"playback did not finish within {timeout_s:.0f} s")
    if pump_errors:
        error = pump_errors[0]
        if isinstance(error, SpeechError):
            raise error
        raise SpeechError(f"audio pump failed: {error}") from error
    if code != 0:
        raise PlayerError(f"player {proc.argv[0]} exit {code}: {detail or 'no message'}")
    return True


def probe_player(player: Sequence[str]) -> DeviceStatus | None:
    """Play 20 ms of silence through ``player``: None if it worked, else a status saying why."""
    if not player or shutil.which(player[0]) is None:
        return DeviceStatus(DeviceState.OFFLINE, f"player not found: {player[0] if player else ''}")
    probe = silent_wav(PcmFormat(sample_rate=22050), 0.02)
    try:
        done = subprocess.run(
            list(player),
            input=probe,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=_PROBE_TIMEOUT_S,
            check=False,
            start_new_session=True,
        )
    except subprocess.TimeoutExpired:
        return DeviceStatus(DeviceState.UNKNOWN, f"player {player[0]} did not answer")
    except OSError as exc:
        return DeviceStatus(DeviceState.OFFLINE, f"cannot start player {player[0]}: {exc}")
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = lines[-1][-_STDERR_TAIL_CHARS:] if lines else f"exit {done.returncode}"
        return DeviceStatus(DeviceState.ERROR, f"no audio output: {why}")
    return None


class StatusCache:
    """Thread-safe probe result with a time to live; BUSY while an utterance plays."""

    def __init__(self, ttl_s: float) -> None:
        self._ttl_s = ttl_s
        self._lock = threading.Lock()
        self._status: DeviceStatus | None = None
        self._at = 0.0
        self._speaking = 0

    def get(self, probe: Callable[[], DeviceStatus]) -> DeviceStatus:
        with self._lock:
            if self._speaking:
                return DeviceStatus(DeviceState.BUSY, "speaking")
            if self._status is not None and time.monotonic() - self._at < self._ttl_s:
                return self._status
        status = probe()
        self.put(status)
        return status

    def forget_failure(self) -> None:
        """Drop a cached non-READY result (e.g. after an utterance played fine)."""
        with self._lock:
            if self._status is not None and self._status.state is not DeviceState.READY:
                self._status = None

    def put(self, status: DeviceStatus) -> None:
        with self._lock:
            self._status = status
            self._at = time.monotonic()

    @contextlib.contextmanager
    def speaking(self) -> Iterator[None]:
        with self._lock:
            self._speaking += 1
        try:
            yield
        finally:
            with self._lock:
                self._speaking -= 1
