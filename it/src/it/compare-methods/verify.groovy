def cosub = new File(basedir, 'target/cosub')
def header = 'run_id,timestamp,dataset,architecture,size,method,recipe,budget,seed,epochs,batch_size,learning_rate,drop_path,drop_path_mode,lambda,train_images,parameters,top1,top5,test_loss,train_seconds,images_per_second,train_flops_per_second,device,engine_version,config_hash,recipe_hash,trained_epochs,images_per_second_q1,images_per_second_q3,code_version,clean_train_top1,submodel_agreement,lowest_test_loss,lowest_test_loss_epoch,init_from'

/** The rows of a CSV file as maps from column to cell (no cell here holds a comma). */
def table = { File file ->
    def lines = file.readLines()
    def columns = lines[0].split(',') as List
    lines.drop(1).collect { line -> [columns, line.split(',', -1) as List].transpose().collectEntries() }
}

// 2 architectures x 2 seeds: a baseline at equal epochs, one at equal compute (two epochs) and
// one cosub run. The shard's run was merged, not trained again: eleven runs here, twelve rows.
def trainedHere = new File(cosub, 'runs').listFiles().findAll { !it.name.startsWith('.') }
assert trainedHere.size() == 11 : trainedHere*.name
assert new File(cosub, 'leaderboard.csv').readLines()[0] == header
def rows = table(new File(cosub, 'leaderboard.csv'))
assert rows.size() == 12 : rows
assert rows.collect { "${it.architecture}/${it.method}/${it.budget}/${it.seed}" }.sort() == [
        'convnext/baseline/compute/0', 'convnext/baseline/compute/1',
        'convnext/baseline/epochs/0', 'convnext/baseline/epochs/1',
        'convnext/cosub/epochs/0', 'convnext/cosub/epochs/1',
        'vit/baseline/compute/0', 'vit/baseline/compute/1',
        'vit/baseline/epochs/0', 'vit/baseline/epochs/1',
        'vit/cosub/epochs/0', 'vit/cosub/epochs/1']
assert rows*.run_id.unique().size() == 12
assert rows.every { it.dataset == 'fashion-mnist' && it.train_images == '1000' && it.epochs == '1' }
assert rows.findAll { it.architecture == 'vit' }*.recipe_hash.unique().size() == 1
// The epochs each run trained, and the code that made it.
assert rows.every { it.trained_epochs == (it.method == 'baseline' && it.budget == 'compute' ? '2' : '1') }
assert rows.every { it.code_version ==~ /0\.1\.0-SNAPSHOT@[0-9a-f]{12}(\+changes)?/ } : rows*.code_version
// How each run fit, from its evaluations: what a map of runs compares without their folders.
assert rows.every { (it.clean_train_top1 as double) > 0 && (it.submodel_agreement as double) > 0 } : rows
assert rows.every { (it.lowest_test_loss_epoch as int) in 1..(it.trained_epochs as int) } : rows
// Trained from scratch: no initial weights named.
assert rows.every { it.init_from == '' } : rows*.init_from

// The baseline under the compute budget trained twice the epochs.
def computeRun = trainedHere.find { it.name.contains('vit-nano-baseline') && new groovy.json.JsonSlurper().parse(new File(it, 'run.json')).result.config.budget == 'COMPUTE' }
assert computeRun : 'a compute-budget baseline run folder'
assert new File(computeRun, 'metrics.csv').readLines().size() == 3 : 'two epochs'

def comparison = table(new File(cosub, 'comparison.csv'))
assert new File(cosub, 'comparison.csv').readLines()[0].startsWith('dataset,architecture,size,recipe,budget,epochs,baseline_epochs,')
assert comparison.size() == 4 : 'one row per architecture and budget'
assert comparison.collect { "${it.architecture}/${it.budget}/${it.baseline_epochs}" } ==
        ['convnext/epochs/1', 'convnext/compute/2', 'vit/epochs/1', 'vit/compute/2']
comparison.each { row ->
    assert row.baseline_seeds == '2' && row.cosub_seeds == '2' && row.paired_seeds == '2'
    def mine = rows.findAll { it.architecture == row.architecture }
    def baseline = mine.findAll { it.method == 'baseline' && it.budget == row.budget }
    def cosubRuns = mine.findAll { it.method == 'cosub' }
    def mean = { list -> list.collect { it.top1 as double }.sum() / list.size() }
    assert Math.abs((row.baseline_top1_mean as double) - mean(baseline)) < 1e-6
    def differences = cosubRuns.collect { c -> (c.top1 as double) - (baseline.find { it.seed == c.seed }.top1 as double) }
    assert Math.abs((row.top1_difference as double) - differences.sum() / 2) < 1e-5
    assert row.verdict in ['cosub better', 'no detectable difference', 'baseline better']
    assert (row.top1_difference_ci_low as double) <= (row.top1_difference as double)
}

def markdown = new File(cosub, 'comparison.md').text
// Two seeds give wide intervals, which may reach below 0%: they are reported as computed.
assert markdown =~ /\| fashion-mnist \| vit-nano \| simple \| compute \| 2\/1 \| 1,000 \| 0\.\d\d \| \d+\.\d\d% \[-?\d+\.\d\d, \d+\.\d\d\] \| \d+\.\d\d% \[-?\d+\.\d\d, \d+\.\d\d\] \| [+-]\d+\.\d\d pp \[[+-]\d+\.\d\d, [+-]\d+\.\d\d\] \| [a-z ]+ \| [a-z ]+ \(p = \d\.\d{3}\) \| 2\/2\/2 \|/

assert markdown.contains('## Test loss and fit')
assert comparison.every { it.test_loss_verdict in ['cosub better', 'no detectable difference', 'baseline better'] }

def report = new File(cosub, 'report/index.html').text
assert report.contains('The difference over the settings') : 'four rows make a map'
assert report.contains('<svg') && report.contains('Learning curves')
assert report.contains('two random submodels agree') && report.contains('clean train top-1 (dashed)')
assert !report.contains('<script')

def log = new File(basedir, 'build.log').text
assert log.contains('merged 1 leaderboard(s): 1 new run(s), 0 already present')
assert log.contains('1 of 12 configuration(s) already have a run; training 11')
assert log =~ /cosub: vit-nano, simple recipe, compute budget: cosub .* over 2 paired seed\(s\): /
return true
