"""Generate the offline announcement clips in resources/voice/vi/ (run once; the WAVs are committed).

    apt-get install -y espeak-ng
    python scripts/make_voice_clips.py [--out resources/voice/vi] [--voice vi] [--speed 140]

Each clip is spoken by ``espeak-ng -v vi``, trimmed of leading/trailing silence,
low-passed and resampled to 16 kHz mono 16-bit (small, still clear on a waiting-room
speaker). The chime is synthesised (two decaying sine tones). An office replaces any
clip with a recording of its own by dropping a WAV with the same name into the folder
set as ``voice_dir``.
"""
from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

RATE = 16000
PHRASES = {
    "moi_cong_dan_so": "Mời công dân số",
    "den_quay_so": "đến quầy số",
    "nhan_ket_qua": "để nhận kết quả",
}
DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
LETTERS = {  # how Vietnamese read Latin letters aloud
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "E": "e", "F": "ép", "G": "giê", "H": "hát", "I": "i",
    "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê", "Q": "quy",
    "R": "e rờ", "S": "ét xì", "T": "tê", "U": "u", "V": "vê", "W": "vê kép", "X": "ích xì", "Y": "i dài",
    "Z": "dét",
}


def texts() -> dict[str, str]:
    out = dict(PHRASES)
    out.update({str(i): word for i, word in enumerate(DIGITS)})
    out.update(LETTERS)
    return out


def speak(text: str, voice: str, speed: int) -> tuple[array, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "clip.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
        with wave.open(str(path), "rb") as w:
            assert w.getsampwidth() == 2 and w.getnchannels() == 1
            samples = array("h", w.readframes(w.getnframes()))
            return samples, w.getframerate()


def trim(samples: array, rate: int, threshold: int = 400, pad_s: float = 0.03) -> array:
    loud = [i for i, v in enumerate(samples) if abs(v) > threshold]
    if not loud:
        return samples
    pad = int(rate * pad_s)
    return samples[max(0, loud[0] - pad): min(len(samples), loud[-1] + pad)]


def resample(samples: array, src: int, dst: int = RATE) -> array:
    """Windowed-sinc low-pass below the new Nyquist, then linear interpolation."""
    if src == dst:
        return samples
    cutoff = 0.45 * dst / src
    taps = 31
    kernel = []
    for n in range(taps):
        k = n - taps // 2
        sinc = 2 * cutoff if k == 0 else math.sin(2 * math.pi * cutoff * k) / (math.pi * k)
        kernel.append(sinc * (0.54 - 0.46 * math.cos(2 * math.pi * n / (taps - 1))))
    total = sum(kernel)
    kernel = [k / total for k in kernel]
    half = taps // 2
    filtered = [sum(kernel[j] * samples[min(len(samples) - 1, max(0, i + j - half))] for j in range(taps))
                for i in range(len(samples))]
    out = array("h")
    step = src / dst
    for n in range(int(len(filtered) / step)):
        x = n * step
        i = int(x)
        frac = x - i
        nxt = filtered[min(i + 1, len(filtered) - 1)]
        out.append(max(-32768, min(32767, int(round(filtered[i] * (1 - frac) + nxt * frac)))))
    return out


def chime() -> array:
    """Ding-dong: E6 then C6, each decaying, 1.1 s."""
    out = array("h")
    for freq, start, length in ((1318.5, 0.0, 0.55), (1046.5, 0.45, 0.65)):
        first = int(start * RATE)
        needed = first + int(length * RATE)
        while len(out) < needed:
            out.append(0)
        for n in range(int(length * RATE)):
            t = n / RATE
            value = 0.35 * math.exp(-4.0 * t) * (
                math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t))
            out[first + n] = max(-32768, min(32767, out[first + n] + int(value * 32767)))
    return out


def write(path: Path, samples: array) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "resources" / "voice" / "vi")
    parser.add_argument("--voice", default="vi")
    parser.add_argument("--speed", type=int, default=140, help="words per minute (espeak-ng -s)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "chime.wav", chime())
    for name, text in texts().items():
        samples, rate = speak(text, args.voice, args.speed)
        write(args.out / f"{name}.wav", resample(trim(samples, rate), rate))
        print(f"{name}.wav  {text}")
    total = sum(p.stat().st_size for p in args.out.glob("*.wav"))
    print(f"{len(list(args.out.glob('*.wav')))} clips, {total / 1024:.0f} KiB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
