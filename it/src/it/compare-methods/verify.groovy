def cosub = new File(basedir, 'target/cosub')
def header = 'run_id,timestamp,dataset,architecture,size,method,seed,epochs,batch_size,learning_rate,drop_path,lambda,train_images,parameters,top1,top5,test_loss,train_seconds,images_per_second,device,engine_version,config_hash'

// The shard's run was merged, not trained again: seven runs here, eight rows in the leaderboard.
def trainedHere = new File(cosub, 'runs').listFiles().findAll { !it.name.startsWith('.') }
assert trainedHere.size() == 7 : trainedHere*.name
def leaderboard = new File(cosub, 'leaderboard.csv').readLines()
assert leaderboard[0] == header
assert leaderboard.size() == 9 : leaderboard
def rows = leaderboard.drop(1).collect { it.split(',') }
assert rows.collect { it[3] + '/' + it[5] + '/' + it[6] }.sort() == [
        'convnext/baseline/0', 'convnext/baseline/1', 'convnext/cosub/0', 'convnext/cosub/1',
        'vit/baseline/0', 'vit/baseline/1', 'vit/cosub/0', 'vit/cosub/1']
assert rows.collect { it[0] }.unique().size() == 8
assert rows.every { it[2] == 'fashion-mnist' && it[12] == '2000' }

def comparison = new File(cosub, 'comparison.csv').readLines()
assert comparison[0] == 'dataset,architecture,size,epochs,batch_size,learning_rate,drop_path,train_images,parameters,baseline_seeds,baseline_top1_mean,baseline_top1_std,baseline_train_seconds,baseline_images_per_second,cosub_seeds,cosub_top1_mean,cosub_top1_std,cosub_train_seconds,cosub_images_per_second,top1_difference,cost_ratio'
assert comparison.size() == 3 : 'one row per architecture'
assert comparison[1].startsWith('fashion-mnist,convnext,nano,1,')
def row = comparison[2].split(',')
assert row[0..3] == ['fashion-mnist', 'vit', 'nano', '1']
assert row[9] == '2' && row[14] == '2' : 'two seeds per method'
def baselineMean = row[10] as double
def cosubMean = row[15] as double
def expectedBaseline = rows.findAll { it[3] == 'vit' && it[5] == 'baseline' }.collect { it[14] as double }.sum() / 2
assert Math.abs(baselineMean - expectedBaseline) < 1e-6
assert Math.abs((row[19] as double) - (cosubMean - baselineMean)) < 1e-5

def markdown = new File(cosub, 'comparison.md').text
assert markdown.contains('| dataset | architecture | params |')
assert markdown =~ /\| fashion-mnist \| vit-nano \| 205k \| 1 \| 2,000 \| \d+\.\d\d% ± \d+\.\d\d \| \d+\.\d\d% ± \d+\.\d\d \| [+-]\d+\.\d\d pp \| 2\/2 \|/

def log = new File(basedir, 'build.log').text
assert log.contains('merged 1 leaderboard(s): 1 new run(s), 0 already present')
assert log.contains('1 of 8 configuration(s) already have a run; training 7')
return true
