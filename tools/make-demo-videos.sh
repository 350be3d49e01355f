#!/usr/bin/env bash
# Remakes the demo campaign videos shipped in src/Closer.Web/Features/Campaign/Video/Demo/: generated imagery
# (FFmpeg's color/drawtext/drawbox filters, the campaign's DejaVu font), English narration by espeak-ng, one
# subtitle cue every 4 seconds (the cues DemoCampaign.Press.cs writes as WebVTT in four languages). Each video is
# 12 s, marked DEMO on every frame, and stored as the two light renditions (240p, 360p) plus a poster, the same
# files the transcoding job writes for an upload. Needs Debian's ffmpeg and espeak-ng.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/Closer.Web/Features/Campaign/Video/Demo
font=src/Closer.Web/Features/Campaign/Assets/DejaVuSans-Bold.ttf
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# name | background | accent | title | cue 1 | cue 2 | cue 3
videos=(
  "demo-spot|#123b63|#f2b134|One step closer|We come from different places.|We share the same streets.|Take one step closer."
  "demo-cucuta|#5a2a12|#8fd16a|Neighbours in Cucuta|This is my bakery.|My neighbour lent me her oven.|Now we bake together."
)

for v in "${videos[@]}"; do
  IFS='|' read -r name bg accent title c1 c2 c3 <<<"$v"
  d="$work/$name"; mkdir -p "$d" "$out/$name"
  printf '%s' "$title" >"$d/title.txt"
  printf '%s' "DEMO VIDEO - generated, not real footage" >"$d/demo.txt"
  i=0
  for cue in "$c1" "$c2" "$c3"; do
    i=$((i + 1))
    printf '%s' "$cue" >"$d/cue$i.txt"
    espeak-ng -v en -s 150 -w "$d/cue$i.wav" "$cue"
  done
  # Each cue's narration padded to exactly 4 s, so speech and subtitles line up.
  ffmpeg -nostdin -v error -y -protocol_whitelist file,pipe -i "$d/cue1.wav" -i "$d/cue2.wav" -i "$d/cue3.wav" -filter_complex \
    "[0]apad=whole_dur=4,atrim=0:4[a];[1]apad=whole_dur=4,atrim=0:4[b];[2]apad=whole_dur=4,atrim=0:4[c];[a][b][c]concat=n=3:v=0:a=1,aresample=44100[o]" \
    -map "[o]" -ac 1 "$d/narration.wav"
  text="fontfile=$font:fontcolor=white"
  vf="drawbox=x='mod(t*60\,iw)':y=ih*0.78:w=iw*0.25:h=ih*0.02:color=$accent:t=fill"
  vf="$vf,drawtext=$text:textfile=$d/title.txt:fontsize=h/11:x=(w-tw)/2:y=h*0.18"
  vf="$vf,drawtext=$text:textfile=$d/demo.txt:fontsize=h/24:x=w*0.03:y=h*0.04:box=1:boxcolor=black@0.6:boxborderw=6"
  for n in 1 2 3; do
    vf="$vf,drawtext=$text:textfile=$d/cue$n.txt:fontsize=h/15:x=(w-tw)/2:y=h*0.45:enable='between(t\,$(( (n-1)*4 ))\,$(( n*4 )))'"
  done
  ffmpeg -nostdin -v error -y -protocol_whitelist file,pipe -f lavfi -i "color=c=$bg:s=1280x720:r=25:d=12" \
    -vf "$vf" -c:v libx264 -preset veryslow -crf 16 -pix_fmt yuv420p -t 12 "$d/master.mp4"
  ffmpeg -nostdin -v error -y -protocol_whitelist file,pipe -i "$d/master.mp4" -i "$d/narration.wav" -map 0:v -map 1:a -c:v copy -c:a aac -b:a 128k -shortest "$d/source.mp4"
  # The same ladder as Features/Campaign/Video/VideoTranscoder.cs (kept in step by hand).
  for r in "240 250k 48k" "360 500k 64k"; do
    read -r h vb ab <<<"$r"
    ffmpeg -nostdin -v error -y -protocol_whitelist file,pipe -i "$d/source.mp4" -vf "scale=-2:$h" \
      -c:v libx264 -profile:v main -preset slow -b:v "$vb" -maxrate "$vb" -bufsize "$vb" -pix_fmt yuv420p \
      -c:a aac -b:a "$ab" -ac 1 -movflags +faststart -map_metadata -1 "$out/$name/${h}p.mp4"
  done
  ffmpeg -nostdin -v error -y -protocol_whitelist file,pipe -ss 5 -i "$d/source.mp4" -frames:v 1 -vf "scale=-2:360" -q:v 4 "$out/$name/poster.jpg"
done
ls -l "$out"/*
