"""French: function words, and the dialogue dash followed by a space (Netflix French guide)."""

from .base import LanguagePack, word_classes

PACKS = (LanguagePack(
    code="fr",
    name="French",
    sentence_rules="fr",
    classes=word_classes(
        determiner="le la les l' un une des du de d' ce cet cette ces mon ma mes ton ta tes son sa ses "
                   "notre nos votre vos leur leurs",
        preposition="à au aux en dans sur sous avec pour par sans chez vers entre contre depuis pendant",
        conjunction="et ou mais donc car ni que qui quand si lorsque puisque comme",
        pronoun="je tu il elle on nous vous ils elles",
        auxiliary="est sont était ai as a avons avez ont sera va vont",
        negation="ne n' pas",
    ),
    abbreviations=frozenset("m mme mlle dr pr st".split()),
    conventions={"dialog_dash": "- "},
),)
