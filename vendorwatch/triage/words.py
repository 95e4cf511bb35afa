"""A small bundled list of common English words.

Vendor names that are also ordinary words ("Box", "Slack", "Zoom") are matched only where they are used as
names; this list is how the matcher knows a single-word term is an ordinary word.
"""

from __future__ import annotations

_WORDS = """
able about above access account act action active add address admin advance after again against age agent
agree air alarm alert all allow alpha amber amplitude anchor angle answer anvil any apollo app apple
apply arc arch area argo arm army array arrow art ask asset atlas atom attack audit auto avenue away axis
back badge balance ball band bank bar base basic basket batch bay beacon beam bear beat bee bell belt bench
best beta better bill bind bird bit black blade blank blaze blend block bloom blue board boat body bolt bond
book boost boot border box brain branch brand brave bread break breeze brick bridge bright bring broad
brook brush bubble buck buddy buffer build bulb bull bundle burst bus button buzz cab cable cake call calm
camp canal candle canvas cap capital captain car card care cargo carry cart case cash cast castle catch
cause cell center chain chair chalk champion chance change channel charge chart chase check cheer chef
chess chief chime chip choice chord chorus circle citadel city civic claim clap class clay clean clear
clerk click cliff climb clip clock close cloud club cluster coach coast coat code coin cold collect color
comet command common compass compose concept cone connect console control cook cool copper copy coral
core corner count counter course court cover craft crane crash create credit crest crew cricket crop cross
crowd crown crush crystal cube cup current curve cushion custom cut cycle daily dash data date dawn day
deal deck deep degree delta depot desk detail dial diamond digit direct dish dock doctor door dot double
dove draft dragon drain draw dream dress drift drill drink drive drop drum duo dust eagle early earth east
echo edge effect egg elastic element elevate ember empire end energy engine enter entry envoy equal era
escape essential even event ever exact exchange expert express eye fabric face fact factor fair faith
falcon fall fame family fan far farm fast father feather feature feed feel fence field figure file fill
film filter final find fine finger fire firm first fish fit flag flame flash fleet flex flight flint float
flock floor flow flower fluid flush fly focus fog fold folk follow force forest forge form fort forum
forward fountain fox frame free fresh friend front frost fruit fuel full fun fund fusion gain galaxy game
gap garden gate gather gauge gear gem general gentle ghost giant gift glacier glass glide globe glow goal
gold gong good grace grade grain grand graph grass gravity great green greenhouse grid grip ground group
grove grow guard guide gulf gust habit half hall hammer hand handle harbor hard harmony harness harvest
hatch haven hawk head health heart heat height helm help hero hex high hill hint hive hold hole home honey
hook hope horizon horn host hour house hub human hunt ice icon idea image impact inch index inside insight
intercom iron island item ivy jade jet jewel job join joint journey joy judge jump jungle junction just
keen keep keeper kernel key kind king kit kite knot lab label ladder lake lamp land lane language lantern
large laser last launch lava law layer lead leaf lean learn ledger left legend lemon lens lever level
liberty library life lift light lime line linear link lion list little live load lobby local lock lodge
logic long look loom loop lotus loud love low luck lumen lunar machine magnet main major maker mall map
maple marble march margin marine mark market mars mask mason master match matrix matter meadow measure
medal medium meet member memory mercury mesh message metal meter method metric middle mill mind mine
mint minute mirror mission mix mode model moment monday money monitor moon mosaic motion motor mount
mountain mouse move music name nation native nature navy near neat needle nest net network new news next
night noble node noise north note notion novel number oak oasis ocean offer office oil open opera option
oracle orange orbit order origin outreach owl pace pack packet paddle page paint pair palm panel paper
parade park part party pass past patch path patient pattern pause peak pearl pen pencil people pepper
perch period pet phase phone piano pick picture piece pier pillar pilot pin pine ping pink pioneer pipe
pivot pixel place plain plan planet plant plate play plaza plot plug plum plus pocket point polar pole
policy pond pool port portal post pot power practice press price pride prime print prism probe profile
progress project prompt proof prospect pulse pump pure purple push quality quantum quarry quarter quest
quick quiet quill quote race radar radio radius rail rain rainbow raise rally ramp range rank rapid rate
raven ray reach read ready real realm reason record red reef reform region relay remote render report
rest result ride ridge right ring ripple rise river road rock rocket role roll roof room root rope rose
round route row royal ruby rule run rush rust safe sage sail salt sample sand satellite save scale scan
scene school scope score scout screen script sea seal search season seat second secret section secure
seed segment select sense sentinel sentry serve service set settle shadow shape share sharp shelf shell
shield shift shine ship shop shore short shot show side sierra sight sign signal silk silver simple
single site size sketch skill sky slack slate slice slide slope smart smile smooth snap snow snowflake
social soft soil solar solid solution song sonar sound source south space spark speak spear speed sphere
spice spike spin spirit splash spoke spot spring sprout square stable stack staff stage stair stamp stand
star start state station steady steam steel stem step stick still stock stone stop store storm story
straight strand stream street stride strike string stripe strong studio style summit sun super supply
support surf surge swift switch symbol sync system table tag tail talent talk tangent tank tap target
task team tempo tent term test text theory thread thrive throne thunder ticket tide tiger timber time tiny
title token tone tool top torch total touch tower town trace track trade trail train transit trap travel
tree trek trend trial tribe trick trim trip true trust truth tube tulip tune tunnel turn twin type union
unit unity up urban valley value van vault vector velvet venture verse vertex view village vine violet
vision visit vista voice volt volume vortex voyage wage wagon walk wall wander wash watch water wave way
wealth weather weave web west wheel whisper white wide wild will wind window wing winter wire wise wish
wolf wonder wood word work world worth yard year yellow yield young zen zero zone zoom
"""

COMMON_WORDS: frozenset[str] = frozenset(_WORDS.split())


def is_common_word(word: str) -> bool:
    """True if `word` (any case) is an ordinary English word, allowing plural and re- forms."""
    w = word.lower()
    if w in COMMON_WORDS:
        return True
    if w.endswith("s") and w[:-1] in COMMON_WORDS:
        return True
    # re-verbs ("retool", "rebind") are ordinary words when their stem is.
    return w.startswith("re") and len(w) > 4 and w[2:] in COMMON_WORDS
