// Every refusal names what is wrong and what is expected; nothing trained, nothing written.
def log = new File(basedir, 'build.log').text
def data = new File(basedir, 'bad-data')
def output = new File(basedir, 'bad-output')
def expected = [
    "cosub: unknown architecture 'resnet-9000': expected one of [regnet, vit, pit, xcit, swin, convnext]",
    'cosub: dropPath = 1.5 is invalid: expected a rate in [0, 1)',
    'cosub: fashion-mnist: data directory ' + new File(basedir, 'no-such-directory') + ' does not exist; expected the four IDX files of fashion-mnist',
    "cosub: seeds: 'one' is invalid: expected a whole number",
    'cosub: minTop1 = 85.0 is invalid: expected a fraction in [0, 1], e.g. 0.85 for 85%',
    'cosub: no finished run of vit-nano cosub seed 0 (config hash 5fcde0872992) under ' + new File(basedir, 'target/cosub/runs') + '; it holds no complete run',
    "cosub: device 'gpu:3': the PyTorch engine sees 0 GPU(s)",
    "cosub: seeds = '0,0' lists '0' twice: expected each value once",
    "cosub: methods = 'cosub,cosub' lists 'cosub' twice: expected each value once",
    'cosub: warmupEpochs = 3 is invalid: expected from 0 to epochs - 1 (2)',
    'cosub: trainSubset = 100000 is invalid: expected 0 (all) up to the 60000 training images there are',
    'cosub: batchSize = 50 is invalid: expected at most the 20 training images',
    'cosub: fashion-mnist: data directory ' + new File(data, 'a-file') + ' is a file: expected the directory of the four IDX files',
    'cosub: fashion-mnist: ' + new File(data, 'missing-one/t10k-labels-idx1-ubyte') + ' does not exist; expected the four IDX files of fashion-mnist',
    'cosub: ' + new File(data, 'not-gzip/train-images-idx3-ubyte.gz') + ': named .gz but not gzip-compressed',
    'cosub: fashion-mnist: labels go up to 12 but the dataset has 10 classes',
    'cosub: ' + new File(data, 'zero-rows/train-images-idx3-ubyte.gz') + ': image size 0x28 is invalid: expected at least one row and one column',
    'cosub: ' + new File(data, 'truncated/train-images-idx3-ubyte.gz') + ': truncated, the header promises 15680 data bytes but 15580 follow it',
    'cosub: outputDirectory ' + new File(output, 'a-file') + ' is a file: expected a directory for runs and the leaderboard',
    'cosub: outputDirectory /proc/cosub-output cannot be written',
    'cosub: ' + new File(output, 'half-row/leaderboard.csv') + ' line 2 has 3 columns, expected 27',
    'cosub: ' + new File(output, 'foreign/leaderboard.csv') + ' is not a cosub leaderboard: its header is [name, score]',
    'cosub: leaderboard ' + new File(basedir, 'no-such-leaderboard.csv') + ' does not exist',
    'cosub: trainSubset = 30 is invalid: expected 0 (all) up to the 20 training images there are',
    'cosub: folder: class folder ' + new File(data, 'folder-empty-class/train/dog') + ' holds no images: expected .png, .jpg, .jpeg files',
    'cosub: cifar10: no data directory: set dataDirectory; expected CIFAR-10\'s binary files',
    'cosub: dataSha256 = null is invalid: expected the archive\'s SHA-256, 64 hexadecimal digits',
    'cosub: folder: 1 of 3 images cannot be read: ' + new File(data, 'folder-unreadable/train/cat/2.png') + ': not a PNG or JPEG image',
]
def missing = expected.findAll { !log.contains(it) }
assert missing.isEmpty() : "the log does not say:\n" + missing.join('\n')
assert (log =~ /BUILD FAILURE/).count == expected.size()
assert !log.contains('epoch 1/') : 'nothing trained'
assert !(log =~ /at ai\.djl\.|\[ERROR\] +at dev\.cosub/).find() : 'no engine stack trace as the message'
assert !new File(basedir, 'target/cosub/runs').exists() || new File(basedir, 'target/cosub/runs').listFiles().findAll { !it.name.startsWith('.') }.isEmpty()
assert new File(output, 'foreign/leaderboard.csv').text == 'name,score\nalice,3\n' : 'a foreign leaderboard is left untouched'
return true
