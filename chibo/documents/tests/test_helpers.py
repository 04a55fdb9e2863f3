from chibo.documents.tests.helpers import parse_pgm


def test_pgm_reader_reads_what_pdftoppm_writes() -> None:
    image = b"P5\n# comment\n3 2\n255\n" + bytes([255, 0, 255, 255, 255, 10])
    width, height, maximum, pixels = parse_pgm(image)
    assert (width, height, maximum) == (3, 2, 255)
    assert list(pixels) == [255, 0, 255, 255, 255, 10]
