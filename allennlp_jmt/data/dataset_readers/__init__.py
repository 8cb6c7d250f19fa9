from allennlp_jmt.data.dataset_readers.conll2000 import Conll2000Reader  # noqa: F401
from allennlp_jmt.data.dataset_readers.conll2002 import Conll2002Reader  # noqa: F401
from allennlp_jmt.data.dataset_readers.conll2003 import Conll2003Reader  # noqa: F401
from allennlp_jmt.data.dataset_readers.dependencies import DependenciesReader  # noqa: F401
from allennlp_jmt.data.dataset_readers.ptb_pos import PtbPosReader  # noqa: F401
from allennlp_jmt.data.dataset_readers.sick import SickReader  # noqa: F401
