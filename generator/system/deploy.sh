#!/usr/bin/env bash
# Copies the built site/ to the office's own web server over SSH (run by `make deploy`, which CI
# runs on the main branch when DEPLOY_HOST is set). Everything comes from the environment, which
# CI fills from its secrets:
#   DEPLOY_HOST         user@server (required)
#   DEPLOY_PATH         folder on the server the web server serves, e.g. /var/www/zkjb (required)
#   DEPLOY_KEY          the private SSH key, its whole text (required)
#   DEPLOY_KNOWN_HOSTS  the server's line(s) from `ssh-keyscan server` (recommended; without it
#                       the first key the server shows is trusted)
#   DEPLOY_PORT         SSH port (default 22)
#   DEPLOY_METHOD       rsync (default: removes pages that are gone, swaps files in at the end)
#                       or scp (for a server without rsync: copies over, removes nothing)
set -euo pipefail

site=${1:-site}
: "${DEPLOY_HOST:?DEPLOY_HOST 未设置：在 CI 的 secrets 里填写 用户名@服务器地址}"
: "${DEPLOY_PATH:?DEPLOY_PATH 未设置：在 CI 的 secrets 里填写服务器上网站所在的文件夹}"
: "${DEPLOY_KEY:?DEPLOY_KEY 未设置：在 CI 的 secrets 里填写 SSH 私钥的全文}"
port=${DEPLOY_PORT:-22}
method=${DEPLOY_METHOD:-rsync}
[ -f "$site/index.html" ] || { echo "deploy: $site/index.html 不存在：先运行 make site（或 make test）" >&2; exit 2; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v ssh >/dev/null || need+=(openssh-client)
[ "$method" != rsync ] || command -v rsync >/dev/null || need+=(rsync)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '%s\n' "$DEPLOY_KEY" | tr -d '\r' > "$dir/key"
chmod 600 "$dir/key"
if [ -n "${DEPLOY_KNOWN_HOSTS:-}" ]; then
  printf '%s\n' "$DEPLOY_KNOWN_HOSTS" > "$dir/known_hosts"
  check=yes
else
  echo "deploy: DEPLOY_KNOWN_HOSTS 未设置，这次信任服务器出示的密钥（建议填写，见 README）" >&2
  check=accept-new
fi
ssh_cmd="ssh -i $dir/key -p $port -o IdentitiesOnly=yes -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=$check"

case "$method" in
  rsync) rsync -rlz --delete-after --delay-updates --chmod=D755,F644 -e "$ssh_cmd" "$site/" "$DEPLOY_HOST:$DEPLOY_PATH/" ;;
  scp) $ssh_cmd "$DEPLOY_HOST" mkdir -p "$DEPLOY_PATH"
       scp -i "$dir/key" -P "$port" -o IdentitiesOnly=yes -o "UserKnownHostsFile=$dir/known_hosts" \
           -o "StrictHostKeyChecking=$check" -rp "$site"/* "$DEPLOY_HOST:$DEPLOY_PATH/" ;;
  *) echo "deploy: DEPLOY_METHOD 只能是 rsync 或 scp（现在是 $method）" >&2; exit 2 ;;
esac
echo "deploy: 已发布到 $DEPLOY_HOST:$DEPLOY_PATH"
