#!/usr/bin/env bash
# Generates the example's media (stand-ins for a user's photos and phone clips) with ffmpeg's
# synthetic sources, so the repository carries no binaries. Idempotent.
set -euo pipefail
D="$(cd "$(dirname "$0")" && pwd)/harbin/media"
mkdir -p "$D"
FF="ffmpeg -hide_banner -loglevel error -nostdin -y"
[ -f "$D/street.jpg" ] || $FF -f lavfi -i "mandelbrot=s=1920x1080:start_x=-0.7435669:start_y=0.1314023:start_scale=0.0022:maxiter=1200" \
  -vf "hue=h=20:s=0.9,noise=alls=5:allf=u,format=yuvj420p" -frames:v 1 -q:v 3 "$D/street.jpg"
[ -f "$D/church.jpg" ] || $FF -f lavfi -i "mandelbrot=s=1080x1440:start_x=-0.743643887037151:start_y=0.131825904205330:start_scale=0.02" \
  -vf "hue=h=190:s=0.8,format=yuvj420p" -frames:v 1 -q:v 3 "$D/church.jpg"
[ -f "$D/river.mp4" ] || $FF -f lavfi -i "gradients=s=1280x720:r=30:speed=0.02:c0=0x0b2a4a:c1=0x9fd3f0:c2=0xe9f6ff:c3=0x3a6d8c:nb_colors=4:seed=2" \
  -t 6 -vf "noise=alls=4:allf=t+u,format=yuv420p" -c:v libx264 -preset veryfast -crf 20 "$D/river.mp4"
[ -f "$D/lights.mp4" ] || $FF -f lavfi -i "life=s=320x180:r=30:mold=20:ratio=0.15:death_color=#10183a:life_color=#ffd27a:mold_color=#3a62c8" \
  -t 10 -vf "scale=1280:720:flags=bicubic,gblur=sigma=2,format=yuv420p" -c:v libx264 -preset veryfast -crf 20 "$D/lights.mp4"

# A gentle synthesized chord progression (I–vi–IV–V, 2 s each) as background music; no fades
# baked in, so it loops seamlessly (shotweave fades the bed itself).
if [ ! -f "$D/bgm.ogg" ]; then
  E="st(0,261.63*pow(2,if(lt(mod(t,8),2),0,if(lt(mod(t,8),4),-3,if(lt(mod(t,8),6),5,7)))/12));"
  E="$E 0.16*sin(2*PI*ld(0)*t)+0.10*sin(2*PI*ld(0)*1.2599*t)+0.10*sin(2*PI*ld(0)*1.4983*t)+0.08*sin(2*PI*ld(0)*0.5*t)*(0.7+0.3*sin(2*PI*2*t))"
  $FF -f lavfi -i "aevalsrc=exprs='$E|$E':s=48000:d=16" -c:a libvorbis -q:a 4 "$D/bgm.ogg"
fi
# A round badge with a transparent surround as the logo.
[ -f "$D/logo.png" ] || $FF -f lavfi -i "color=c=white:s=240x240,format=rgba" \
  -vf "geq=r='if(lt(hypot(X-120,Y-120),70),40,255)':g='if(lt(hypot(X-120,Y-120),70),110,255)':b='if(lt(hypot(X-120,Y-120),70),200,255)':a='255*clip((112-hypot(X-120,Y-120))/2,0,1)'" \
  -frames:v 1 "$D/logo.png"
echo "example media in $D"
