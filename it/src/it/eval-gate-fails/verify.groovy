// The build failed in the gate, and the log names the metric, the threshold and the value.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
def failure = log =~ /cosub accuracy gate failed for run \S+-vit-nano-baseline-seed0-[0-9a-f]{6}: top-1 = (0\.\d{4}) \(\d+\.\d\d%\) is below minTop1 = 0\.9900 \(99\.00%\)/
assert failure.find() : 'the failure names metric, threshold and value'
def top1 = failure.group(1) as double

// The figure in the message is the one written to eval.json, and training did finish.
def runs = new File(basedir, 'target/cosub/runs').listFiles().findAll { !it.name.startsWith('.') }
assert runs.size() == 1
def eval = new groovy.json.JsonSlurper().parse(new File(runs[0], 'eval.json'))
assert Math.abs(eval.metrics.top1 - top1) < 1e-4
assert new File(basedir, 'target/cosub/leaderboard.csv').readLines().size() == 2
return true
