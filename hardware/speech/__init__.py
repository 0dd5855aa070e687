"""Text-to-speech engines implementing :class:`hardware.protocols.SpeechEngine`.

* :mod:`hardware.speech.espeak` — ``EspeakSpeechEngine``: espeak-ng CLI piped to a player.
* :mod:`hardware.speech.pyttsx3_engine` — ``Pyttsx3SpeechEngine``: pyttsx3's espeak driver.
* :mod:`hardware.speech.recording` / :mod:`hardware.speech.silent` — simulators for tests and
  for running without speech.
* :mod:`hardware.speech.rate` — 字/min counting and the measured espeak-ng rate mapping.
* :mod:`hardware.speech.pcm` — WAV parsing and the software volume gain.

Nothing is imported here so that importing one engine never loads another (pyttsx3 loads
libespeak-ng into the process).
"""
