"""Spanish: function words after which a line or cue must not break."""

from .base import LanguagePack, word_classes

PACKS = (LanguagePack(
    code="es",
    name="Spanish",
    sentence_rules="es",
    classes=word_classes(
        determiner="el la los las un una unos unas lo al del este esta estos estas ese esa mi mis tu tus "
                   "su sus nuestro nuestra",
        preposition="a de en con por para sin sobre entre hacia desde hasta contra según durante",
        conjunction="y e o u pero sino que si cuando porque como aunque",
        pronoun="yo tú él ella nosotros vosotros ellos ellas",
        auxiliary="es son está están ha han he hemos fue era será va van",
        negation="no",
    ),
    abbreviations=frozenset("sr sra srta dr dra ud uds".split()),
),)
