def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains("cosub: unknown architecture 'resnet-9000': expected one of [vit")
assert !log.contains('training vit') : 'nothing was trained'
assert !new File(basedir, 'target/cosub/runs').exists()
return true
