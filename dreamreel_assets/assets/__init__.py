from dreamreel_assets.assets.clips import clips
from dreamreel_assets.assets.final_cut import final_cut, published_cut
from dreamreel_assets.assets.pictures import character_sheets, keyframes
from dreamreel_assets.assets.script import film_request, script
from dreamreel_assets.assets.sound import music, narration

film_assets = [film_request, script, character_sheets, keyframes, narration, music, clips, final_cut, published_cut]
