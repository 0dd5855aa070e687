"""Bluetooth LE health device data: blood pressure, weight, temperature, SpO2, glucose.

Qt-free. :func:`hardware.health.gatt.parse` turns a characteristic value into a typed
reading; :mod:`hardware.health.sfloat` decodes the IEEE 11073 number formats.
"""

from __future__ import annotations

from hardware.health.gatt import (
    BloodPressureReading,
    GattParseError,
    GlucoseReading,
    HealthReading,
    MalformedPacketError,
    SpO2Reading,
    TemperatureReading,
    UnsupportedCharacteristicError,
    WeightReading,
    parse,
)
from hardware.health.sfloat import MeasuredValue, SpecialValue

__all__ = [
    "BloodPressureReading",
    "GattParseError",
    "GlucoseReading",
    "HealthReading",
    "MalformedPacketError",
    "MeasuredValue",
    "SpO2Reading",
    "SpecialValue",
    "TemperatureReading",
    "UnsupportedCharacteristicError",
    "WeightReading",
    "parse",
]
