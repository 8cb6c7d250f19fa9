// Where each corpus is: the folder of its data variable (allennlp_jmt/config_environment.py) when
// that is set, the bundled sample otherwise. The one place that defines each fallback: the
// readers, sizes and training of an experiment never depend on these variables.
local env = import 'env.libsonnet';
local sample = 'fixtures/data/jmt';
{
  // CoNLL-2000: train.txt, test.txt.
  conll2000(file):: env.path('JMT_CONLL2000_DIR', file, sample + '/conll2000/' + file),
  // CoNLL-2002: esp.* / ned.*; the sample has one training file a language, read for every split.
  conll2002(file):: env.path('JMT_CONLL2002_DIR', file, 'fixtures/data/conll2002/' + std.split(file, '.')[0] + '.train'),
  // CoNLL-2003: eng.train, eng.testa, eng.testb; the sample has one file, read for every split.
  conll2003(file):: env.path('JMT_CONLL2003_DIR', file, 'fixtures/data/conll2003/eng.sample'),
  // Penn Treebank sections (e.g. '00-18') of PTB-3's combined/ folder; the sample keeps that layout.
  ptb(sections):: (if env.get('JMT_PTB_DIR') == '' then sample + '/ptb/combined' else env.get('JMT_PTB_DIR')) + '#' + sections,
  // UD English EWT: split is train, dev or test.
  ud_ewt(split):: env.path('JMT_UD_EWT_DIR', 'en_ewt-ud-%s.conllu' % split, sample + '/ud_english_ewt/en_ewt-ud-%s.conllu' % split),
  // SICK: SICK_train.txt, SICK_trial.txt, SICK_test_annotated.txt.
  sick(file):: env.path('JMT_SICK_DIR', file, sample + '/sick/' + file),
}
