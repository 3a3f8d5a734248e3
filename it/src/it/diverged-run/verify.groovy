def log = new File(basedir, 'build.log').text
def failure = log =~ /cosub: training diverged at epoch (\d+), step (\d+) of 8: loss (NaN|Infinity|[-0-9.E]+) at learning rate [0-9.e+]+/
assert failure.find() : 'the failure names epoch, step, learning rate and loss'
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/cosub/leaderboard.csv').exists() : 'no leaderboard row'
def runs = new File(basedir, 'target/cosub/runs').listFiles().findAll { it.isDirectory() && !it.name.startsWith('.') }
assert runs.size() == 1 && runs[0].name.endsWith('-failed') : runs*.name
def record = new groovy.json.JsonSlurper().parse(new File(runs[0], 'run.json'))
assert record.status == 'failed'
assert record.failure.startsWith('training diverged at epoch ')
assert !new File(runs[0], 'model.params').exists()
return true
