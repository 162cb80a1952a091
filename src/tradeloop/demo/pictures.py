"""Product pictures for the demo, drawn with Pillow: a soft gradient, a simple motif and the product's name.

Deterministic (same input, same picture) and offline: nothing is downloaded.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageColor, ImageDraw, ImageFont

SIZE = 800
INK = (255, 255, 255)


def _mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a[:3], b[:3], strict=True))


def _gradient(top: str, bottom: str) -> Image.Image:
    start, end = ImageColor.getrgb(top), ImageColor.getrgb(bottom)
    column = Image.new("RGB", (1, SIZE))
    column.putdata([_mix(start, end, y / (SIZE - 1)) for y in range(SIZE)])
    return column.resize((SIZE, SIZE))


def _fruit(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    draw.ellipse((230, 190, 570, 530), fill=colour, outline=INK, width=6)
    draw.ellipse((300, 250, 370, 320), fill=_mix(colour, INK, 0.55))
    draw.line((400, 195, 420, 130), fill=(87, 56, 33), width=12)
    draw.ellipse((420, 110, 520, 165), fill=(74, 152, 68))


def _chip(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    for i in range(7):
        y = 225 + i * 45
        draw.rectangle((195, y, 250, y + 18), fill=(203, 213, 225))
        draw.rectangle((550, y, 605, y + 18), fill=(203, 213, 225))
    draw.rounded_rectangle((240, 190, 560, 550), radius=24, fill=(31, 41, 55), outline=INK, width=5)
    draw.ellipse((270, 220, 300, 250), fill=_mix(colour, INK, 0.4))


def _camera(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    draw.rounded_rectangle((190, 250, 610, 530), radius=30, fill=(38, 38, 38), outline=INK, width=5)
    draw.rectangle((250, 215, 350, 255), fill=(38, 38, 38))
    draw.ellipse((310, 300, 490, 480), fill=(82, 82, 91), outline=INK, width=8)
    draw.ellipse((360, 350, 440, 430), fill=_mix(colour, INK, 0.3))


def _bike(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    for x in (270, 530):
        draw.ellipse((x - 100, 340, x + 100, 540), outline=INK, width=12)
    frame = [(270, 440), (390, 440), (480, 320), (330, 320), (270, 440)]
    draw.line(frame, fill=colour, width=14, joint="curve")
    draw.line([(390, 440), (320, 290), (290, 290)], fill=colour, width=12)
    draw.line([(480, 320), (530, 440)], fill=colour, width=12)
    draw.line([(470, 300), (500, 270), (540, 270)], fill=INK, width=10)


def _books(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    shades = [colour, _mix(colour, INK, 0.35), _mix(colour, (0, 0, 0), 0.25)]
    for i, shade in enumerate(shades):
        top = 470 - i * 95
        draw.rounded_rectangle((210 + i * 25, top, 590 - i * 20, top + 80), radius=8, fill=shade, outline=INK, width=4)


def _scissors(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    draw.line((300, 200, 500, 460), fill=INK, width=16)
    draw.line((500, 200, 300, 460), fill=INK, width=16)
    for x in (280, 520):
        draw.ellipse((x - 60, 440, x + 60, 560), outline=colour, width=16)


def _house(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    draw.polygon([(400, 170), (610, 350), (190, 350)], fill=colour, outline=INK)
    draw.rectangle((240, 350, 560, 560), fill=_mix(colour, INK, 0.6), outline=INK, width=5)
    draw.rectangle((370, 440, 430, 560), fill=colour)


def _box(draw: ImageDraw.ImageDraw, colour: tuple) -> None:
    draw.rounded_rectangle((230, 230, 570, 540), radius=20, fill=colour, outline=INK, width=6)
    draw.line((230, 320, 570, 320), fill=INK, width=6)


MOTIFS = {
    "fruit": _fruit,
    "chip": _chip,
    "camera": _camera,
    "bike": _bike,
    "books": _books,
    "scissors": _scissors,
    "house": _house,
    "box": _box,
}


def _caption(draw: ImageDraw.ImageDraw, text: str) -> None:
    size = 64
    font = ImageFont.load_default(size=size)
    while draw.textlength(text, font=font) > SIZE - 80 and size > 28:
        size -= 4
        font = ImageFont.load_default(size=size)
    draw.rounded_rectangle((30, 620, SIZE - 30, 740), radius=28, fill=(0, 0, 0, 90))
    draw.text((SIZE / 2, 680), text, font=font, fill=INK, anchor="mm")


def picture(text: str, *, colours: tuple[str, str], motif: str, accent: str = "") -> bytes:
    """A JPEG (800×800) showing `text` under the motif, on a gradient between the two colours."""
    image = _gradient(*colours)
    overlay = ImageDraw.Draw(image, "RGBA")
    accent_rgb = ImageColor.getrgb(accent or colours[1])
    MOTIFS.get(motif, _box)(overlay, accent_rgb)
    _caption(overlay, text)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=86, optimize=True)
    return buffer.getvalue()
