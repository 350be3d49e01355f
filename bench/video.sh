#!/usr/bin/env bash
# Budget: a 30-second video at the lightest rendition (240p) is at most 1.5 MB. Makes a 30 s 720p source with motion
# and detail (FFmpeg's testsrc2, a harder case than a talking head) and speech-band audio, transcodes it with the exact
# settings of Features/Campaign/Video/VideoTranscoder.cs (240p: H.264 main 250 kbit/s capped, AAC mono 48 kbit/s), and
# writes bench/results/video.md. Also lists the shipped demo renditions. Needs Debian's ffmpeg. Exit 1 over budget.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=1500000
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
ff() { ffmpeg -nostdin -hide_banner -v error -y -protocol_whitelist file,pipe "$@"; }
ff -f lavfi -i "testsrc2=size=1280x720:rate=25:duration=30" -f lavfi -i "anoisesrc=color=pink:amplitude=0.3:duration=30" \
  -c:v libx264 -preset ultrafast -crf 18 -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$work/source.mp4"
ff -i "$work/source.mp4" -map 0:v:0 -map "0:a:0?" -vf scale=-2:240 -c:v libx264 -profile:v main -preset veryfast \
  -b:v 250k -maxrate 250k -bufsize 250k -pix_fmt yuv420p -c:a aac -b:a 48k -ac 1 -movflags +faststart -map_metadata -1 "$work/240p.mp4"
size=$(stat -c %s "$work/240p.mp4")
duration=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$work/240p.mp4")
verdict=$([ "$size" -le "$budget" ] && echo PASS || echo FAIL)
{
  echo "# Video budget"
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with $(ffmpeg -version | head -1 | cut -d' ' -f1-3) by bench/video.sh."
  echo
  echo "| what | duration | bytes | MB | budget | verdict |"
  echo "| --- | --- | --- | --- | --- | --- |"
  printf '| 30 s test pattern (testsrc2 720p + pink noise), 240p rendition | %.1f s | %s | %.2f | 1.5 MB | %s |\n' "$duration" "$size" "$(echo "$size/1000000" | bc -l)" "$verdict"
  for f in src/Closer.Web/Features/Campaign/Video/Demo/*/*.mp4; do
    s=$(stat -c %s "$f"); d=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$f")
    printf '| demo %s | %.1f s | %s | %.2f | (%.2f MB per 30 s) | |\n' "${f#src/Closer.Web/Features/Campaign/Video/Demo/}" "$d" "$s" "$(echo "$s/1000000" | bc -l)" "$(echo "$s/$d*30/1000000" | bc -l)"
  done
} > bench/results/video.md
cat bench/results/video.md
[ "$verdict" = PASS ]
