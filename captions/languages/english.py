"""English: function words after which a line or cue must not break (Netflix, BBC guidelines)."""

from .base import Language, word_classes

ENGLISH = Language(
    code="en",
    name="English",
    voice="en-gb",
    sentence_rules="en",
    classes=word_classes(
        determiner="a an the this that these those my your his her its our their some any each every no "
                   "all both either neither another such what whose which",
        preposition="of in on at to for with from by about into onto over after before under between "
                    "through during including against among across toward towards without within upon "
                    "per via like near off than as amid behind beyond despite except inside outside "
                    "since until regarding concerning",
        conjunction="and but or nor so yet because although though while whereas if unless when "
                    "whenever where wherever whether that which who whom once",
        pronoun="i you he she we they it",
        auxiliary="is are was were be been being am will would shall should can could may might must "
                  "do does did has have had",
        negation="not never n't",
        adjective="new old next last big small high low long short great good bad young major key top "
                  "final full early late former current recent local main real whole senior vice",
        number="one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
               "fifty hundred thousand million billion several many few first second third last",
        before_of="out instead because kind sort lot lots number couple part most rest",
        # US states and countries a place name is followed by ("Austin, Texas"), first words only.
        region="alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
               "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
               "michigan minnesota mississippi missouri montana nebraska nevada new north ohio oklahoma "
               "oregon pennsylvania rhode south tennessee texas utah vermont virginia washington west "
               "wisconsin wyoming canada mexico england scotland wales ireland france germany italy spain "
               "japan china india australia brazil russia ukraine israel egypt nigeria kenya usa uk",
        month="january february march april may june july august september october november december "
              "jan feb mar apr jun jul aug sep sept oct nov dec",
    ),
    abbreviations=frozenset("mr mrs ms dr prof st gen sen rep gov lt col sgt capt jr sr vs no".split()),
)

PACKS = (ENGLISH,)
