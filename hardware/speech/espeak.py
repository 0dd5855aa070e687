"""Speech through the ``espeak-ng`` command line, streamed to an audio player.

One utterance is a pipeline of two child processes and one pump thread::

    espeak-ng -v cmn -s <wpm> -a 100 -b 1 --stdin --stdout  →  pump (× volume)  →  aplay -q -

* The text goes to espeak-ng's stdin, never through a shell or the argument list, so text that
  starts with ``-`` or holds quotes is just text. With ``--stdin`` espeak-ng reads all input
  before it synthesizes, so writing it first cannot deadlock.
* espeak-ng synthesizes ~1000× faster than real time; the player's pace (pipe back-pressure)
  decides how long ``speak`` blocks.
* Volume is a software gain on the samples (see :mod:`hardware.speech.pcm`: espeak's ``-a`` is
  not a linear gain), rate comes from the measured table in :mod:`hardware.speech.rate`.
* ``stop()`` only sets an event; the speaking thread sees it within 20 ms and SIGKILLs both
  process groups. The player is configurable (any command that plays a WAV stream from stdin).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import threading
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from hardware.protocols import DeviceState, DeviceStatus, SpeechError
from hardware.speech._pipeline import (
    DEFAULT_PLAYER,
    ManagedProcess,
    PlayerError,
    StatusCache,
    play,
    probe_player,
)
from hardware.speech.pcm import (
    REFERENCE_AMPLITUDE,
    PcmFormat,
    apply_gain,
    check_volume,
    parse_wav_header,
    scaled_wav_stream,
)
from hardware.speech.rate import Lang, cpm_to_espeak_wpm, expected_duration_s, normalize_lang

__all__ = [
    "DEFAULT_PLAYER",
    "DEFAULT_VOICES",
    "EspeakSpeechEngine",
    "cpm_to_espeak_wpm",
    "espeak_argv",
    "installed_voices",
    "synthesize_pcm",
    "synthesize_wav",
]

#: espeak-ng voice per kiosk language: ``cmn`` is Mandarin (sit/cmn), ``en`` British English.
DEFAULT_VOICES: Final[Mapping[Lang, str]] = {"zh_CN": "cmn", "en": "en"}

_PROBE_TEXT: Final[Mapping[Lang, str]] = {"zh_CN": "好", "en": "ok"}
_SYNTH_TIMEOUT_S = 60.0
_READ_CHUNK = 8192
_OTHER_LANGUAGE = re.compile(r"\(([^\s()]+) \d+\)")


def espeak_argv(binary: str, *, voice: str, wpm: int) -> list[str]:
    """The espeak-ng command line for one utterance read from stdin, WAV to stdout."""
    return [
        binary,
        "-v",
        voice,
        "-s",
        str(wpm),
        "-a",
        str(REFERENCE_AMPLITUDE),
        "-b",
        "1",  # input is UTF-8, whatever the locale
        "--stdin",
        "--stdout",
    ]


def _playback_timeout_s(text: str, lang: Lang, rate_cpm: int) -> float:
    """A generous watchdog for one utterance: the player must not block ``speak`` forever."""
    return 10.0 + 3.0 * expected_duration_s(text, lang=lang, rate_cpm=rate_cpm) + 0.2 * len(text)


def installed_voices(binary: str = "espeak-ng") -> frozenset[str]:
    """Names espeak-ng accepts for its installed voices: language, file, file name, name and
    the other languages listed by ``espeak-ng --voices`` (lower case).

    Raises:
        SpeechError: espeak-ng cannot be run.
    """
    try:
        done = subprocess.run([binary, "--voices"], capture_output=True, timeout=10.0, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechError(f"{binary} --voices failed: {exc}") from exc
    names: set[str] = set()
    for line in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        fields = line.split()
        if len(fields) < 5:
            continue
        _, language, _, voice_name, file = fields[:5]
        names.update({language, voice_name, file, file.rsplit("/", 1)[-1]})
        names.update(_OTHER_LANGUAGE.findall(" ".join(fields[5:])))  # "(zh-cmn 5)(zh 5)"
    return frozenset(name.lower() for name in names)


def synthesize_pcm(
    text: str, *, voice: str, wpm: int, binary: str = "espeak-ng"
) -> tuple[PcmFormat, bytes]:
    """Render ``text`` with espeak-ng at ``wpm`` and reference amplitude; return format, samples.

    Raises:
        SpeechError: espeak-ng is missing, fails, or times out.
    """
    try:
        done = subprocess.run(
            espeak_argv(binary, voice=voice, wpm=wpm),
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=_SYNTH_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SpeechError(f"{binary} not found") from exc
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpeechError(f"{binary} failed: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise SpeechError(f"{binary} -v {voice}: {message}")
    parsed = parse_wav_header(done.stdout)
    if parsed is None:
        raise SpeechError(f"{binary} wrote no audio")
    fmt, offset = parsed
    samples = done.stdout[offset:]
    return fmt, samples[: len(samples) & ~1]


def synthesize_wav(
    text: str,
    *,
    lang: str,
    rate_cpm: int,
    volume: float,
    path: Path,
    binary: str = "espeak-ng",
    voices: Mapping[Lang, str] = DEFAULT_VOICES,
) -> None:
    """Render ``text`` to the WAV file ``path`` exactly as :class:`EspeakSpeechEngine` would
    play it (same voice, rate mapping and software gain).

    Raises:
        ValueError: bad language, rate or volume.
        SpeechError: espeak-ng is missing or fails.
    """
    key = normalize_lang(lang)
    check_volume(volume)
    fmt, samples = synthesize_pcm(
        text, voice=voices[key], wpm=cpm_to_espeak_wpm(rate_cpm, key), binary=binary
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(fmt.channels)
        out.setsampwidth(fmt.sample_width)
        out.setframerate(fmt.sample_rate)
        out.writeframes(apply_gain(samples, volume))


class EspeakSpeechEngine:
    """:class:`~hardware.protocols.SpeechEngine` driving the espeak-ng command line.

    Args:
        binary: espeak-ng executable (name on PATH or path).
        player: command that plays a WAV stream from stdin; ``("aplay", "-q", "-")`` by default.
            Tests pass a sink; never run through a shell by this class.
        voices: espeak-ng voice per language, merged over :data:`DEFAULT_VOICES`.
        status_ttl_s: how long a status probe result is reused.
    """

    name = "espeak-ng"

    def __init__(
        self,
        *,
        binary: str = "espeak-ng",
        player: Sequence[str] = DEFAULT_PLAYER,
        voices: Mapping[Lang, str] | None = None,
        status_ttl_s: float = 30.0,
    ) -> None:
        if not player:
            raise ValueError("player command must not be empty")
        self._binary = binary
        self._player = tuple(player)
        self._voices: dict[Lang, str] = {**DEFAULT_VOICES, **(voices or {})}
        self._cancel = threading.Event()
        self._status = StatusCache(status_ttl_s)

    def speak(self, text: str, *, lang: str, rate_cpm: int, volume: float) -> None:
        """Say ``text``; block until played or :meth:`stop`.

        Raises:
            ValueError: bad language, rate or volume.
            SpeechError: espeak-ng or the player failed (the status then says why).
        """
        key = normalize_lang(lang)
        check_volume(volume)
        wpm = cpm_to_espeak_wpm(rate_cpm, key)
        self._cancel.clear()
        if not text.strip():
            return
        with self._status.speaking():
            self._speak(text, key, wpm, rate_cpm, volume)

    def _speak(self, text: str, lang: Lang, wpm: int, rate_cpm: int, volume: float) -> None:
        argv = espeak_argv(self._binary, voice=self._voices[lang], wpm=wpm)
        try:
            synth = ManagedProcess(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except SpeechError as exc:
            self._status.put(DeviceStatus(DeviceState.OFFLINE, str(exc)))
            raise
        played = False
        error: SpeechError | None = None
        try:
            stdin, stdout = synth.popen.stdin, synth.popen.stdout
            assert stdin is not None
            assert stdout is not None
            try:
                stdin.write(text.encode("utf-8"))
                stdin.close()
            except BrokenPipeError:
                pass  # espeak-ng died; its exit status says why
            chunks = iter(functools.partial(os.read, stdout.fileno(), _READ_CHUNK), b"")
            played = play(
                self._player,
                scaled_wav_stream(chunks, volume),
                cancel=self._cancel,
                timeout_s=_playback_timeout_s(text, lang, rate_cpm),
                on_abort=synth.kill,
            )
        except SpeechError as exc:
            error = exc
        finally:
            if not played:
                synth.kill()
            code = synth.reap()
            detail = synth.error_detail()
            synth.close()
        if not played and error is None:
            return  # stopped
        # A negative code is our own SIGKILL after the player failed: report the player then.
        if code != 0 and (played or (code is not None and code > 0)):
            why = f"{self._binary} exit {code}: {detail or 'no message'}"
            self._status.put(DeviceStatus(DeviceState.ERROR, why))
            raise SpeechError(why) from error
        if isinstance(error, PlayerError):
            self._status.put(DeviceStatus(DeviceState.ERROR, f"no audio output: {error}"))
        if error is not None:
            raise error
        self._status.forget_failure()  # it just worked: let the next status() probe again

    def stop(self) -> None:
        """End the current utterance within ~20 ms; safe from any thread, no-op when idle."""
        self._cancel.set()

    def status(self) -> DeviceStatus:
        """Probe (cached for ``status_ttl_s``): binary, both voices, and the player's output.

        OFFLINE: espeak-ng or the player is not installed. ERROR: a voice is missing or the
        player cannot open its output. READY only after all three were checked. BUSY while
        speaking (no probe then: it would compete for the audio device).
        """
        return self._status.get(self._probe)

    def _probe(self) -> DeviceStatus:
        exe = shutil.which(self._binary)
        if exe is None:
            return DeviceStatus(DeviceState.OFFLINE, f"{self._binary} not found")
        try:
            installed = installed_voices(exe)
        except SpeechError as exc:
            return DeviceStatus(DeviceState.ERROR, str(exc))
        for lang, voice in self._voices.items():
            # espeak-ng resolves unknown names leniently ("no-such" → Norwegian): check the list.
            if voice.lower() not in installed:
                return DeviceStatus(DeviceState.ERROR, f"espeak-ng has no voice {voice} ({lang})")
            try:
                _, samples = synthesize_pcm(_PROBE_TEXT[lang], voice=voice, wpm=175, binary=exe)
            except SpeechError as exc:
                return DeviceStatus(DeviceState.ERROR, f"voice {voice} ({lang}) unusable: {exc}")
            if not any(samples):
                return DeviceStatus(DeviceState.ERROR, f"voice {voice} ({lang}) is silent")
        player_problem = probe_player(self._player)
        if player_problem is not None:
            return player_problem
        voices = "+".join(self._voices.values())
        player = Path(self._player[0]).name
        return DeviceStatus(DeviceState.READY, f"{self._binary} ({voices}) → {player}")
