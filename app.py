"""K-Smart City 해외사업 파이프라인 대시보드: navigation and one-time setup."""

import streamlit as st

st.set_page_config(page_title="K-Smart City 수출추진단", page_icon="🏙️", layout="wide")
st.title("K-Smart City 해외사업 파이프라인")
st.info("대시보드 화면은 준비 중입니다. 명령줄: `python -m ksmart --help`")
