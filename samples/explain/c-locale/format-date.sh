#!/bin/sh
# Formats SOURCE_DATE_EPOCH's date with the month name of the locale in LC_ALL, as a gettext-translated tool would.
# (The builder image has no locale data, so this script carries its own two translations.)
month=$(date -u -d "@$SOURCE_DATE_EPOCH" +%m)
day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%d)
year=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
case "${LC_ALL:-C}" in
  fr*) set -- janvier février mars avril mai juin juillet août septembre octobre novembre décembre ;;
  *) set -- January February March April May June July August September October November December ;;
esac
shift $((${month#0} - 1))
printf '%s %s %s\n' "$day" "$1" "$year"
