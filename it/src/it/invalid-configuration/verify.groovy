def log = new File(basedir, 'build.log').text
[
    "cosub: unknown architecture 'resnet-9000': expected one of [regnet, vit, pit, xcit, swin, convnext]",
    'cosub: dropPath = 1.5 is invalid: expected a rate in [0, 1)',
    'cosub: fashion-mnist: data directory ' + new File(basedir, 'no-such-directory') + ' does not exist',
    "cosub: seeds: 'one' is invalid: expected a whole number",
    'cosub: minTop1 = 85.0 is invalid: expected a fraction in [0, 1], e.g. 0.85 for 85%',
    'cosub: no finished run of vit-nano cosub seed 0',
].each { assert log.contains(it) : "the log does not say: ${it}" }
assert (log =~ /BUILD FAILURE/).count == 6
assert !log.contains('training vit') : 'nothing was trained'
assert !new File(basedir, 'target/cosub/runs').exists()
return true
